package io.github.telemetrybootstrap.testkit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads log lines from a byte stream and strips their framing ({@link LogFormat}): the JSON
 * payload of each line is exposed as a slice of an internal buffer, valid until the next call of
 * {@link #next()}. Lines are split on {@code \n}; a trailing {@code \r} is removed. Bytes are not
 * decoded, so invalid UTF-8 reaches the validator intact.
 *
 * <p>Memory is bounded: a line longer than the cap is not buffered; the reader keeps its first
 * bytes for display, skips to the end of the line and reports its length with
 * {@link #tooLongBytes()}. Not thread-safe.
 */
public final class LogLineReader {
  private static final int PREFIX_KEEP = 1200;

  private final InputStream in;
  private final LogFormat format;
  private final int maxLineBytes;

  private byte[] buf = new byte[64 * 1024];
  private int start;
  private int end;
  private boolean eof;
  private long physicalLine;

  // current record
  private byte[] recBuf = buf;
  private int recOff;
  private int recLen;
  private long recLine;
  private long recTooLong = -1;

  // CRI partial lines, per stream (0 = stdout, 1 = stderr)
  private final byte[][] partial = new byte[2][];
  private final int[] partialLen = new int[2];
  private final long[] partialLine = new long[2];
  private final long[] partialTotal = new long[2];
  private int flushStream = -1;

  /**
   * A reader over a stream.
   *
   * @param in the input; not closed by the reader
   * @param format the framing
   * @param maxLineBytes lines (after joining CRI partials) longer than this are reported by
   *     {@link #tooLongBytes()} instead of being returned
   */
  public LogLineReader(InputStream in, LogFormat format, int maxLineBytes) {
    this.in = Objects.requireNonNull(in, "in");
    this.format = Objects.requireNonNull(format, "format");
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be at least 1, got " + maxLineBytes);
    }
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Advances to the next log line.
   *
   * @return false at the end of the input
   * @throws IOException when reading fails
   */
  public boolean next() throws IOException {
    while (true) {
      if (eof && start >= end) {
        return flushPartials();
      }
      if (!readPhysicalLine()) {
        continue;
      }
      if (recTooLong >= 0) {
        return true;
      }
      if (frame()) {
        return true;
      }
    }
  }

  /** @return 1-based physical line number where the current log line starts */
  public long lineNumber() {
    return recLine;
  }

  /** @return the buffer holding the current line's payload */
  public byte[] buffer() {
    return recBuf;
  }

  /** @return offset of the payload in {@link #buffer()} */
  public int offset() {
    return recOff;
  }

  /** @return length of the payload in bytes (for a too-long line: the bytes kept for display) */
  public int length() {
    return recLen;
  }

  /** @return the full length in bytes of a line over the cap, or -1 for a line within it */
  public long tooLongBytes() {
    return recTooLong;
  }

  /**
   * Whether the payload is empty or spaces and tabs only.
   *
   * @return true for a blank line
   */
  public boolean isBlank() {
    for (int i = recOff; i < recOff + recLen; i++) {
      byte b = recBuf[i];
      if (b != ' ' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------

  /** Reads one physical line into recBuf/recOff/recLen; false when nothing was produced. */
  private boolean readPhysicalLine() throws IOException {
    int scan = start;
    while (true) {
      int nl = indexOf(buf, scan, end);
      if (nl >= 0) {
        physicalLine++;
        setRecord(buf, start, trimCr(buf, start, nl) - start, physicalLine, -1);
        start = nl + 1;
        return true;
      }
      if (eof) {
        if (start < end) {
          physicalLine++;
          setRecord(buf, start, trimCr(buf, start, end) - start, physicalLine, -1);
          start = end;
          return true;
        }
        return false;
      }
      scan = end;
      if (end - start > maxLineBytes) {
        skipLongLine();
        return true;
      }
      if (end == buf.length) {
        if (start > 0) {
          System.arraycopy(buf, start, buf, 0, end - start);
          scan -= start;
          end -= start;
          start = 0;
        } else {
          buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, (long) maxLineBytes + 64 * 1024));
        }
      }
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        eof = true;
      } else {
        end += n;
      }
    }
  }

  private void skipLongLine() throws IOException {
    physicalLine++;
    byte[] keep = Arrays.copyOfRange(buf, start, start + Math.min(PREFIX_KEEP, end - start));
    long total = end - start;
    start = end = 0;
    while (true) {
      int n = in.read(buf, 0, buf.length);
      if (n < 0) {
        eof = true;
        break;
      }
      int nl = indexOf(buf, 0, n);
      if (nl >= 0) {
        total += nl;
        start = nl + 1;
        end = n;
        break;
      }
      total += n;
    }
    setRecord(keep, 0, keep.length, physicalLine, total);
  }

  private void setRecord(byte[] b, int off, int len, long line, long tooLong) {
    recBuf = b;
    recOff = off;
    recLen = len;
    recLine = line;
    recTooLong = tooLong;
  }

  private static int indexOf(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static int trimCr(byte[] b, int from, int to) {
    return to > from && b[to - 1] == '\r' ? to - 1 : to;
  }

  /** Strips framing from the current physical line; false when it was a CRI partial (buffered). */
  private boolean frame() {
    if (format == LogFormat.JSON) {
      return true;
    }
    int p = recOff;
    int e = recOff + recLen;
    if (format == LogFormat.AUTO && p < e && recBuf[p] == '{') {
      return true;
    }
    if (format != LogFormat.CRI && p < e && recBuf[p] == '[') {
      int close = kubectlPrefixEnd(recBuf, p, e);
      if (close > 0) {
        p = close;
      }
    }
    int ts = timestampEnd(recBuf, p, e);
    if (ts > 0 && ts < e && recBuf[ts] == ' ') {
      int afterTs = ts + 1;
      if (format != LogFormat.KUBECTL) {
        int stream = streamAt(recBuf, afterTs, e);
        if (stream >= 0) {
          int tagStart = afterTs + 7;
          int tagEnd = tagStart;
          while (tagEnd < e && recBuf[tagEnd] != ' ') {
            tagEnd++;
          }
          int content = Math.min(tagEnd + 1, e);
          boolean partialTag = tagEnd > tagStart && recBuf[tagStart] == 'P';
          return cri(stream, partialTag, content, e);
        }
      }
      if (format != LogFormat.CRI) {
        p = afterTs;
      }
    }
    recLen = e - p;
    recOff = p;
    return true;
  }

  private boolean cri(int stream, boolean partialTag, int content, int e) {
    int len = e - content;
    if (partial[stream] == null && !partialTag) {
      recOff = content;
      recLen = len;
      return true;
    }
    if (partial[stream] == null) {
      partial[stream] = new byte[Math.max(1024, len * 2)];
      partialLen[stream] = 0;
      partialLine[stream] = recLine;
      partialTotal[stream] = 0;
    }
    partialTotal[stream] += len;
    int have = partialLen[stream];
    int room = (int) Math.min(Math.max(0, (long) maxLineBytes + 1 - have), len);
    if (room > 0) {
      if (have + room > partial[stream].length) {
        partial[stream] = Arrays.copyOf(partial[stream], Math.max(have + room, partial[stream].length * 2));
      }
      System.arraycopy(recBuf, content, partial[stream], have, room);
      partialLen[stream] = have + room;
    }
    if (partialTag) {
      return false;
    }
    emitPartial(stream);
    return true;
  }

  private void emitPartial(int stream) {
    byte[] joined = partial[stream];
    long total = partialTotal[stream];
    int len = partialLen[stream];
    long line = partialLine[stream];
    partial[stream] = null;
    if (total > maxLineBytes) {
      setRecord(joined, 0, Math.min(len, PREFIX_KEEP), line, total);
    } else {
      setRecord(joined, 0, len, line, -1);
    }
  }

  private boolean flushPartials() {
    for (int s = 0; s < 2; s++) {
      if (partial[s] != null) {
        emitPartial(s);
        return true;
      }
    }
    return false;
  }

  /** {@code [pod/name/container] } as kubectl --prefix writes it; returns the index after it, or -1. */
  private static int kubectlPrefixEnd(byte[] b, int p, int e) {
    int limit = Math.min(e, p + 512);
    boolean slash = false;
    for (int i = p + 1; i < limit; i++) {
      byte c = b[i];
      if (c == '/') {
        slash = true;
      } else if (c == ']') {
        return slash && i + 1 < e && b[i + 1] == ' ' ? i + 2 : (slash && i + 1 == e ? i + 1 : -1);
      } else if (c == ' ' || c == '{' || c == '"') {
        return -1;
      }
    }
    return -1;
  }

  /**
   * End of an RFC 3339 date-time at {@code p} ({@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM)}),
   * or -1.
   */
  static int timestampEnd(byte[] b, int p, int e) {
    if (e - p < 20) {
      return -1;
    }
    String shape = "dddd-dd-ddTdd:dd:dd";
    for (int i = 0; i < shape.length(); i++) {
      char s = shape.charAt(i);
      byte c = b[p + i];
      if (s == 'd' ? (c < '0' || c > '9') : c != s) {
        return -1;
      }
    }
    int i = p + shape.length();
    if (i < e && b[i] == '.') {
      i++;
      int digits = i;
      while (i < e && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i == digits) {
        return -1;
      }
    }
    if (i < e && b[i] == 'Z') {
      return i + 1;
    }
    if (i + 6 <= e && (b[i] == '+' || b[i] == '-') && b[i + 3] == ':') {
      return i + 6;
    }
    return -1;
  }

  /** 0 for {@code "stdout "}, 1 for {@code "stderr "}, else -1. */
  private static int streamAt(byte[] b, int p, int e) {
    if (e - p < 8 || b[p + 6] != ' ') {
      return -1;
    }
    if (b[p] == 's' && b[p + 1] == 't' && b[p + 2] == 'd') {
      if (b[p + 3] == 'o' && b[p + 4] == 'u' && b[p + 5] == 't') {
        return 0;
      }
      if (b[p + 3] == 'e' && b[p + 4] == 'r' && b[p + 5] == 'r') {
        return 1;
      }
    }
    return -1;
  }
}

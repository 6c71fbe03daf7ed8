package io.github.telemetrybootstrap.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A small, focused parser for Grafana Alloy configuration syntax: blocks ({@code name "label" { ... }}),
 * attributes ({@code key = expression}) and the component references inside expressions. It does not
 * evaluate expressions; it knows exactly enough to check the structure of a pipeline: which
 * components exist, what they reference, and the literal values of attributes.
 *
 * <p>Syntax reference: https://grafana.com/docs/alloy/latest/get-started/configuration-syntax/
 */
final class AlloyConfig {

  /** A token of the syntax: kind, text (strings unquoted and unescaped) and 1-based line. */
  record Token(Kind kind, String text, int line) {
    enum Kind { IDENT, STRING, NUMBER, PUNCT, NEWLINE }

    boolean is(String punct) {
      return kind == Kind.PUNCT && text.equals(punct);
    }
  }

  /** An attribute's expression as tokens, with helpers for the literal shapes pipelines use. */
  record Expression(List<Token> tokens) {
    /** The value of a single string literal. */
    String asString() {
      List<Token> t = significant();
      if (t.size() != 1 || t.get(0).kind() != Token.Kind.STRING) {
        throw new IllegalStateException("not a string literal: " + text());
      }
      return t.get(0).text();
    }

    /** Every string literal in a list literal, in order. */
    List<String> asStringList() {
      return significant().stream().filter(t -> t.kind() == Token.Kind.STRING).map(Token::text).toList();
    }

    /** An object literal whose values are string literals: key to value, in order. */
    Map<String, String> asStringMap() {
      Map<String, String> map = new LinkedHashMap<>();
      List<Token> t = significant();
      for (int i = 0; i + 2 < t.size(); i++) {
        if ((t.get(i).kind() == Token.Kind.IDENT || t.get(i).kind() == Token.Kind.STRING) && t.get(i + 1).is("=")
            && t.get(i + 2).kind() == Token.Kind.STRING) {
          map.put(t.get(i).text(), t.get(i + 2).text());
        }
      }
      return map;
    }

    /** Keys of an object literal (whatever their values). */
    Set<String> objectKeys() {
      Set<String> keys = new LinkedHashSet<>();
      List<Token> t = significant();
      for (int i = 0; i + 1 < t.size(); i++) {
        if ((t.get(i).kind() == Token.Kind.IDENT || t.get(i).kind() == Token.Kind.STRING) && t.get(i + 1).is("=")) {
          keys.add(t.get(i).text());
        }
      }
      return keys;
    }

    /** Dotted identifier chains of at least three parts that are not function calls. */
    Set<String> references() {
      Set<String> refs = new LinkedHashSet<>();
      List<Token> t = significant();
      for (int i = 0; i < t.size(); i++) {
        if (t.get(i).kind() != Token.Kind.IDENT || (i > 0 && t.get(i - 1).is("."))) {
          continue;
        }
        StringBuilder chain = new StringBuilder(t.get(i).text());
        int parts = 1;
        int j = i + 1;
        while (j + 1 < t.size() && t.get(j).is(".") && t.get(j + 1).kind() == Token.Kind.IDENT) {
          chain.append('.').append(t.get(j + 1).text());
          parts++;
          j += 2;
        }
        boolean call = j < t.size() && t.get(j).is("(");
        if (parts >= 3 && !call) {
          refs.add(chain.toString());
        }
      }
      return refs;
    }

    /** The expression as (approximate) source text. */
    String text() {
      StringBuilder sb = new StringBuilder();
      for (Token token : significant()) {
        sb.append(token.kind() == Token.Kind.STRING ? '"' + token.text() + '"' : token.text()).append(' ');
      }
      return sb.toString().trim();
    }

    private List<Token> significant() {
      return tokens.stream().filter(x -> x.kind() != Token.Kind.NEWLINE).toList();
    }
  }

  /**
   * A block: its dotted name, optional label, attributes and nested blocks in source order.
   */
  record Block(String name, String label, Map<String, Expression> attributes, List<Block> blocks, int line) {
    /** {@code name.label} for a labelled component, {@code name} otherwise. */
    String id() {
      return label == null ? name : name + "." + label;
    }

    /** The attribute, or an error naming the block and the key. */
    Expression attribute(String key) {
      Expression e = attributes.get(key);
      if (e == null) {
        throw new IllegalStateException(id() + " (line " + line + ") has no attribute " + key);
      }
      return e;
    }

    /** Nested blocks with this name, in order. */
    List<Block> blocks(String blockName) {
      return blocks.stream().filter(b -> b.name().equals(blockName)).toList();
    }

    /** Every reference in this block's attributes, nested blocks included. */
    Set<String> references() {
      Set<String> refs = new LinkedHashSet<>();
      attributes.values().forEach(e -> refs.addAll(e.references()));
      blocks.forEach(b -> refs.addAll(b.references()));
      return refs;
    }
  }

  private final List<Block> components;

  private AlloyConfig(List<Block> components) {
    this.components = components;
  }

  /** The top-level blocks (components and configuration blocks) in source order. */
  List<Block> components() {
    return components;
  }

  /** The component {@code name "label"}, or an error naming it. */
  Block component(String name, String label) {
    return find(name, label).orElseThrow(() -> new IllegalStateException("no component " + name + " \"" + label + "\""));
  }

  Optional<Block> find(String name, String label) {
    return components.stream().filter(b -> b.name().equals(name) && label.equals(b.label())).findFirst();
  }

  /**
   * References that name no component of this configuration: a reference {@code a.b.c.export}
   * resolves when a component with id {@code a.b.c} exists.
   *
   * @return each unresolved reference with the component that uses it
   */
  List<String> unresolvedReferences() {
    Set<String> ids = new LinkedHashSet<>();
    components.forEach(b -> ids.add(b.id()));
    List<String> unresolved = new ArrayList<>();
    for (Block b : components) {
      for (String ref : b.references()) {
        boolean ok = ids.stream().anyMatch(id -> ref.startsWith(id + "."));
        if (!ok) {
          unresolved.add(b.id() + " -> " + ref);
        }
      }
    }
    return unresolved;
  }

  /**
   * Parses a configuration.
   *
   * @throws IllegalArgumentException with the line number on a syntax error
   */
  static AlloyConfig parse(String source) {
    Parser p = new Parser(tokenize(source));
    List<Block> top = new ArrayList<>();
    Map<String, Expression> attrs = new LinkedHashMap<>();
    p.body(top, attrs, true);
    if (!attrs.isEmpty()) {
      throw new IllegalArgumentException("top-level attributes are not allowed: " + attrs.keySet());
    }
    return new AlloyConfig(List.copyOf(top));
  }

  static List<Token> tokenize(String s) {
    List<Token> tokens = new ArrayList<>();
    int line = 1;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\n') {
        tokens.add(new Token(Token.Kind.NEWLINE, "\n", line++));
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (s.startsWith("//", i)) {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        if (end < 0) {
          throw new IllegalArgumentException("line " + line + ": unterminated comment");
        }
        line += (int) s.substring(i, end).chars().filter(ch -> ch == '\n').count();
        i = end + 2;
      } else if (c == '"') {
        StringBuilder sb = new StringBuilder();
        i++;
        while (i < s.length() && s.charAt(i) != '"') {
          char ch = s.charAt(i);
          if (ch == '\n') {
            throw new IllegalArgumentException("line " + line + ": newline in string");
          }
          if (ch == '\\' && i + 1 < s.length()) {
            char n = s.charAt(++i);
            sb.append(switch (n) {
              case 'n' -> '\n';
              case 't' -> '\t';
              default -> n;
            });
          } else {
            sb.append(ch);
          }
          i++;
        }
        if (i >= s.length()) {
          throw new IllegalArgumentException("line " + line + ": unterminated string");
        }
        tokens.add(new Token(Token.Kind.STRING, sb.toString(), line));
        i++;
      } else if (c == '`') {
        int end = s.indexOf('`', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("line " + line + ": unterminated raw string");
        }
        String raw = s.substring(i + 1, end);
        tokens.add(new Token(Token.Kind.STRING, raw, line));
        line += (int) raw.chars().filter(ch -> ch == '\n').count();
        i = end + 1;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        tokens.add(new Token(Token.Kind.IDENT, s.substring(start, i), line));
      } else if (Character.isDigit(c)) {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
        tokens.add(new Token(Token.Kind.NUMBER, s.substring(start, i), line));
      } else {
        String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
        if (List.of("==", "!=", "<=", ">=", "&&", "||").contains(two)) {
          tokens.add(new Token(Token.Kind.PUNCT, two, line));
          i += 2;
        } else {
          tokens.add(new Token(Token.Kind.PUNCT, String.valueOf(c), line));
          i++;
        }
      }
    }
    return tokens;
  }

  private static final class Parser {
    private final List<Token> tokens;
    private int pos;

    Parser(List<Token> tokens) {
      this.tokens = tokens;
    }

    private Token peek() {
      return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private void skipNewlines() {
      while (peek() != null && peek().kind() == Token.Kind.NEWLINE) {
        pos++;
      }
    }

    private IllegalArgumentException error(String message) {
      Token t = peek();
      return new IllegalArgumentException("line " + (t == null ? "EOF" : t.line()) + ": " + message
          + (t == null ? "" : " at '" + t.text() + "'"));
    }

    void body(List<Block> blocks, Map<String, Expression> attributes, boolean topLevel) {
      while (true) {
        skipNewlines();
        Token t = peek();
        if (t == null) {
          if (!topLevel) {
            throw error("missing '}'");
          }
          return;
        }
        if (t.is("}")) {
          if (topLevel) {
            throw error("unexpected '}'");
          }
          return;
        }
        if (t.kind() != Token.Kind.IDENT) {
          throw error("expected an attribute or block name");
        }
        int line = t.line();
        StringBuilder name = new StringBuilder(t.text());
        pos++;
        while (peek() != null && peek().is(".")) {
          pos++;
          Token part = peek();
          if (part == null || part.kind() != Token.Kind.IDENT) {
            throw error("expected a name after '.'");
          }
          name.append('.').append(part.text());
          pos++;
        }
        Token next = peek();
        if (next != null && next.is("=")) {
          pos++;
          if (attributes.put(name.toString(), expression()) != null) {
            throw new IllegalArgumentException("line " + line + ": attribute " + name + " set twice");
          }
        } else {
          String label = null;
          if (next != null && next.kind() == Token.Kind.STRING) {
            label = next.text();
            pos++;
          }
          if (peek() == null || !peek().is("{")) {
            throw error("expected '{' after block " + name);
          }
          pos++;
          List<Block> children = new ArrayList<>();
          Map<String, Expression> childAttributes = new LinkedHashMap<>();
          body(children, childAttributes, false);
          pos++; // '}'
          blocks.add(new Block(name.toString(), label, childAttributes, List.copyOf(children), line));
        }
      }
    }

    private Expression expression() {
      List<Token> expr = new ArrayList<>();
      int depth = 0;
      while (peek() != null) {
        Token t = peek();
        if (depth == 0 && (t.kind() == Token.Kind.NEWLINE || t.is("}"))) {
          break;
        }
        if (t.is("{") || t.is("[") || t.is("(")) {
          depth++;
        } else if (t.is("}") || t.is("]") || t.is(")")) {
          depth--;
        }
        expr.add(t);
        pos++;
      }
      if (depth != 0) {
        throw error("unbalanced brackets in expression");
      }
      if (expr.isEmpty()) {
        throw error("empty expression");
      }
      return new Expression(List.copyOf(expr));
    }
  }
}

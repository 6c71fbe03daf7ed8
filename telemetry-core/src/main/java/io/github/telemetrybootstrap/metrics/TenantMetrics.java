package io.github.telemetrybootstrap.metrics;

import io.github.telemetrybootstrap.context.Tenant;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The one sanctioned way to put the tenant on a metric. By default the tenant is never a metric tag
 * (it would make series grow with the customer base); a service that wants per-tenant metrics opts
 * in here and gets a hard cap on cardinality.
 *
 * <p>Tag key {@value #TAG_KEY}. The first {@code maxTenants} distinct tenants seen keep their own
 * value; every later tenant is reported as {@value #OTHER}; no tenant in context is
 * {@value #NONE}. Values are sanitised with {@link Tenant#sanitize(String)}. Thread-safe; never
 * throws at run time. The testkit's ArchUnit rule {@code NO_TENANT_METRIC_TAGS} allows tenant tags
 * only through this class.
 *
 * <pre>{@code
 * TenantMetrics tenants = TenantMetrics.create(50);
 * registry.counter("orders.placed", Tags.of(tenants.currentTenantTag())).increment();
 * }</pre>
 */
public final class TenantMetrics {
  /** Tag key carrying the tenant. */
  public static final String TAG_KEY = "tenant_id";
  /** Value for tenants beyond the cap. */
  public static final String OTHER = "other";
  /** Value when no tenant is in context. */
  public static final String NONE = "none";
  /** Largest cap accepted by {@link #create(int)}. */
  public static final int MAX_CAP = 10_000;

  private final int maxTenants;
  private final Set<String> admitted = ConcurrentHashMap.newKeySet();
  private final AtomicInteger size = new AtomicInteger();

  private TenantMetrics(int maxTenants) {
    this.maxTenants = maxTenants;
  }

  /**
   * Creates a capped tenant tagger. Keep one per service (or per meter family) and reuse it.
   *
   * @param maxTenants distinct tenant values admitted, 1..{@value #MAX_CAP}
   * @return the tagger
   * @throws IllegalArgumentException if {@code maxTenants} is out of range
   */
  public static TenantMetrics create(int maxTenants) {
    if (maxTenants < 1 || maxTenants > MAX_CAP) {
      throw new IllegalArgumentException("maxTenants must be 1.." + MAX_CAP + ", was " + maxTenants);
    }
    return new TenantMetrics(maxTenants);
  }

  /**
   * The tag for the tenant of the current context.
   *
   * @return {@code tenant_id=<tenant>}, {@code tenant_id=other} beyond the cap, or
   *     {@code tenant_id=none}
   */
  public Tag currentTenantTag() {
    return tag(Tenant.current().orElse(null));
  }

  /**
   * The tag for a given tenant.
   *
   * @param tenant a raw tenant value, sanitised here; {@code null} or blank means none
   * @return the capped tag
   */
  public Tag tag(@Nullable String tenant) {
    String t = Tenant.sanitize(tenant);
    if (t == null) {
      return Tag.of(TAG_KEY, NONE);
    }
    if (admitted.contains(t)) {
      return Tag.of(TAG_KEY, t);
    }
    // Reserve a slot before admitting, so concurrent callers can never exceed the cap.
    while (true) {
      int n = size.get();
      if (n >= maxTenants) {
        return Tag.of(TAG_KEY, admitted.contains(t) ? t : OTHER);
      }
      if (size.compareAndSet(n, n + 1)) {
        if (!admitted.add(t)) {
          size.decrementAndGet(); // another thread admitted the same value meanwhile
        }
        return Tag.of(TAG_KEY, t);
      }
    }
  }

  /**
   * Adds the current tenant's tag to {@code tags}.
   *
   * @param tags other tags of the meter
   * @return {@code tags} plus {@link #currentTenantTag()}
   */
  public Tags withCurrentTenant(Iterable<Tag> tags) {
    return Tags.of(tags).and(currentTenantTag());
  }

  /**
   * @return how many distinct tenants have their own tag value so far, at most the cap
   */
  public int admittedTenants() {
    return admitted.size();
  }
}

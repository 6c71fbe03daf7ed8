package io.github.telemetrybootstrap.testkit.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * ArchUnit rules that keep a service on the telemetry contract: entry points call the bootstrap,
 * nothing logs around SLF4J, and the tenant does not become a metric tag by accident.
 *
 * <p>Use them from a test with ArchUnit's JUnit 5 support ({@code com.tngtech.archunit:archunit-junit5},
 * test scope):
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "com.example.orders", importOptions = ImportOption.DoNotIncludeTests.class)
 * class TelemetryArchitectureTest {
 *   @ArchTest static final ArchRule telemetry = TelemetryRules.ALL;
 * }
 * }</pre>
 *
 * <p>or directly: {@code TelemetryRules.ALL.check(new ClassFileImporter().importPackages("com.example"))}.
 * A violation throws {@link AssertionError} whose message names each offending class or method and
 * its source location ({@code (File.java:line)}) and says how to fix it.
 *
 * <p>All rules match the library's types by name ({@value #TELEMETRY}, {@value #TELEMETRY_BUILDER},
 * {@value #TENANT}), so they work on any class path that ArchUnit can import. ArchUnit sees calls
 * and field accesses in bytecode, not data flow or constant values; each rule's javadoc says exactly
 * what it checks and what it cannot see. Accesses inside a lambda count as accesses of the method
 * that declares the lambda (ArchUnit 1.0 and later).
 */
public final class TelemetryRules {
  /** Fully qualified name of the bootstrap entry class. */
  public static final String TELEMETRY = "io.github.telemetrybootstrap.Telemetry";
  /** Fully qualified name of the bootstrap builder ({@code Telemetry.builder()...build()}). */
  public static final String TELEMETRY_BUILDER = "io.github.telemetrybootstrap.TelemetryBuilder";
  /** Fully qualified name of the tenant context API. */
  public static final String TENANT = "io.github.telemetrybootstrap.context.Tenant";
  /** Fully qualified name of the OpenTelemetry baggage type that carries the tenant. */
  public static final String BAGGAGE = "io.opentelemetry.api.baggage.Baggage";
  /**
   * Fully qualified name of the opt-in API for tenant metric tags (a cardinality-capped helper in
   * {@code telemetry-core}); code in this class and in classes nested in it may tag with the tenant.
   */
  public static final String TENANT_METRICS_API = "io.github.telemetrybootstrap.metrics.TenantMetrics";
  /**
   * Simple name of the opt-in annotation: a method or constructor annotated with an annotation of
   * this simple name (any package, retention {@code CLASS} or {@code RUNTIME}) may tag with the
   * tenant.
   */
  public static final String TENANT_METRICS_OPT_IN = "TenantMetricsOptIn";

  private static final String MICROMETER = "io.micrometer.core.instrument.";

  /**
   * Every class that declares a launchable {@code main} method calls {@code Telemetry.bootstrap()}
   * or {@code TelemetryBuilder.build()} from it.
   *
   * <p>A launchable main is the one the {@code java} launcher would run (JLS 12.1.4; Java 25,
   * JEP 512): a non-private, non-abstract {@code void main(String[])} or {@code void main()},
   * static preferred over instance, {@code String[]} preferred over no parameters. Classic
   * {@code public static void main(String[])} is the common case.
   *
   * <p>The bootstrap counts when it is called from that main, from the class's static initializer
   * (e.g. {@code static final Telemetry TELEMETRY = Telemetry.bootstrap();}) or from any method or
   * constructor of the same class, or of a class nested in it, that they call, transitively (calls
   * inside lambdas count; method references such as {@code Telemetry::bootstrap} do not). Calls
   * into other classes are not followed: if {@code main} delegates
   * the bootstrap to another class, name the entry points with
   * {@link #entryPointsCallBootstrap(DescribedPredicate)} or exclude the class. Frameworks that
   * bootstrap for you (the Spring and Quarkus modules) don't need this rule for their main classes.
   * A code base without any main class passes.
   */
  public static final ArchRule MAIN_CALLS_BOOTSTRAP =
      classes()
          .that(declareALaunchableMain())
          .should(callTheBootstrap())
          .because(
              "Telemetry.bootstrap() must run first thing in main, or logs are not JSON, spans carry no"
                  + " service and metrics are not served: call Telemetry.bootstrap() (or"
                  + " Telemetry.builder()...build()) at the top of main")
          .allowEmptyShould(true);

  /**
   * No class writes to {@code System.out} or {@code System.err} or calls
   * {@code Throwable.printStackTrace()} without arguments (ArchUnit's
   * {@link GeneralCodingRules#ACCESS_STANDARD_STREAMS}): log through SLF4J, so every line is a
   * contract JSON object with trace and tenant ids. {@code printStackTrace(PrintWriter)} into a
   * string is allowed. For classes that legitimately print (command-line tools), use
   * {@link #noSystemOutLoggingExcept(DescribedPredicate)}.
   */
  public static final ArchRule NO_SYSTEM_OUT_LOGGING = noSystemOutLogging(null);

  /**
   * No code tags a metric with the tenant outside the opt-in API.
   *
   * <p><b>Exact semantics.</b> ArchUnit sees calls, not data flow, so the rule is stated about
   * calls: a method, constructor or static initializer (lambdas count as their declaring method)
   * violates the rule when it both
   *
   * <ol>
   *   <li><b>reads the tenant</b>: calls {@code Tenant.current()}, {@code Tenant.fromContext(..)}
   *       or {@code Baggage.getEntryValue(..)} (any key: the key is a constant ArchUnit cannot see),
   *       and
   *   <li><b>adds a metric tag</b>: calls one of Micrometer's {@code Tag.of}, {@code Tags.of},
   *       {@code Tags.and}, {@code Tags.concat}, {@code new ImmutableTag}, {@code tag}/{@code tags}
   *       on any {@code *.Builder} of {@code io.micrometer.core.instrument} ({@code Counter.Builder},
   *       {@code Timer.Builder}, {@code Gauge.Builder}, {@code DistributionSummary.Builder},
   *       {@code Meter.Builder}, ...), {@code Meter.MeterProvider.withTag/withTags}, a method of
   *       {@code MeterRegistry} (or a subclass), {@code MeterRegistry.More} or {@code Metrics} taking
   *       {@code String...} or {@code Iterable} tags (e.g. {@code registry.counter(name, "k", v)}),
   *       {@code MeterRegistry.Config.commonTags}, {@code MeterFilter.commonTags},
   *       {@code Observation.lowCardinalityKeyValue(s)},
   *       {@code Observation.Context.addLowCardinalityKeyValue(s)}, or an OpenTelemetry metrics
   *       instrument method taking {@code Attributes} (e.g. {@code LongCounter.add(long, Attributes)}),
   * </ol>
   *
   * <p>unless it is declared in {@value #TENANT_METRICS_API} (or a class nested in it) or is
   * annotated with an annotation whose simple name is {@value #TENANT_METRICS_OPT_IN}.
   *
   * <p><b>What it cannot see.</b> A tenant read in one method and passed as an argument to another
   * method that tags is not detected; tag keys written as string literals ({@code Tag.of("tenant_id",
   * ..)}) are not detected (ArchUnit does not expose constant values). A method that reads the
   * tenant for another purpose and also adds an unrelated tag is reported: split it into two
   * methods. A code base without such methods passes.
   */
  public static final ArchRule NO_TENANT_METRIC_TAGS = noTenantMetricTags(null);

  /**
   * {@link #MAIN_CALLS_BOOTSTRAP}, {@link #NO_SYSTEM_OUT_LOGGING} and {@link #NO_TENANT_METRIC_TAGS}
   * together; one failure lists the violations of each rule.
   */
  public static final ArchRule ALL =
      CompositeArchRule.of(MAIN_CALLS_BOOTSTRAP).and(NO_SYSTEM_OUT_LOGGING).and(NO_TENANT_METRIC_TAGS);

  private TelemetryRules() {}

  /**
   * Entry points call the bootstrap: each class matched by {@code entryPoints} calls
   * {@code Telemetry.bootstrap()} or {@code TelemetryBuilder.build()}.
   *
   * <p>For a class that declares a launchable main (see {@link #MAIN_CALLS_BOOTSTRAP}) the search
   * starts at that main and the static initializer; for any other class (a serverless handler, a
   * worker started by a framework) it starts at all of its methods, constructors and static
   * initializer. From there it follows calls within the class and classes nested in it, as
   * {@link #MAIN_CALLS_BOOTSTRAP} does. Unlike that rule this one fails when {@code entryPoints}
   * matches no class, so a renamed entry point cannot silently drop out of the check.
   *
   * @param entryPoints selects the entry-point classes, e.g.
   *     {@code JavaClass.Predicates.simpleNameEndingWith("Handler")}
   * @return the rule
   */
  public static ArchRule entryPointsCallBootstrap(DescribedPredicate<? super JavaClass> entryPoints) {
    return classes()
        .that(entryPoints)
        .should(callTheBootstrap())
        .because(
            "an entry point must call Telemetry.bootstrap() (or Telemetry.builder()...build()) before"
                + " it does any work, or its logs, spans and metrics miss the contract");
  }

  /**
   * {@link #entryPointsCallBootstrap(DescribedPredicate)} for the given classes.
   *
   * @param entryPoints the entry-point classes; at least one
   * @return the rule
   * @throws IllegalArgumentException if no class is given
   */
  public static ArchRule entryPointsCallBootstrap(Class<?>... entryPoints) {
    if (entryPoints.length == 0) {
      throw new IllegalArgumentException("entryPointsCallBootstrap needs at least one entry point class");
    }
    return entryPointsCallBootstrap(anyOf(entryPoints));
  }

  /**
   * {@link #NO_SYSTEM_OUT_LOGGING} except for the allowed classes. A class is allowed when it, or a
   * class it is nested in, matches {@code allowed}, so a command-line tool's inner and anonymous
   * classes are allowed with it.
   *
   * <pre>{@code
   * TelemetryRules.noSystemOutLoggingExcept(JavaClass.Predicates.resideInAPackage("..cli.."))
   * }</pre>
   *
   * @param allowed the classes that may print to the standard streams
   * @return the rule
   */
  public static ArchRule noSystemOutLoggingExcept(DescribedPredicate<? super JavaClass> allowed) {
    return noSystemOutLogging(allowed);
  }

  private static ArchRule noSystemOutLogging(@Nullable DescribedPredicate<? super JavaClass> allowed) {
    ArchCondition<JavaClass> print =
        GeneralCodingRules.ACCESS_STANDARD_STREAMS.as(
            "access System.out, System.err or call Throwable.printStackTrace()");
    ArchRule rule =
        allowed == null
            ? noClasses().should(print)
            : noClasses()
                .that(
                    DescribedPredicate.describe(
                        "are not allow-listed (" + allowed.getDescription() + ", or nested in one)",
                        javaClass -> selfOrEnclosing(javaClass).noneMatch(allowed)))
                .should(print);
    return rule.because(
            "log through SLF4J, so every line is one JSON object with trace_id, span_id and tenant_id"
                + " (a command-line tool may be allowed with noSystemOutLoggingExcept(..))")
        .allowEmptyShould(true);
  }

  /**
   * {@link #noSystemOutLoggingExcept(DescribedPredicate)} for the given classes (and classes nested
   * in them).
   *
   * @param allowed the classes that may print to the standard streams
   * @return the rule
   */
  public static ArchRule noSystemOutLoggingExcept(Class<?>... allowed) {
    return noSystemOutLoggingExcept(anyOf(allowed));
  }

  /**
   * {@link #NO_TENANT_METRIC_TAGS} with more places allowed to tag with the tenant, in addition to
   * {@value #TENANT_METRICS_API} and methods annotated {@code @}{@value #TENANT_METRICS_OPT_IN}.
   *
   * @param alsoAllowed code units (methods, constructors, static initializers) that may tag with the
   *     tenant, e.g. {@code JavaMember.Predicates.declaredIn(MyTenantMetrics.class)}
   * @return the rule
   */
  public static ArchRule noTenantMetricTagsOutside(DescribedPredicate<? super JavaCodeUnit> alsoAllowed) {
    return noTenantMetricTags(alsoAllowed);
  }

  private static ArchRule noTenantMetricTags(@Nullable DescribedPredicate<? super JavaCodeUnit> alsoAllowed) {
    DescribedPredicate<JavaCodeUnit> notOptedIn =
        DescribedPredicate.describe(
            "are not declared in " + TENANT_METRICS_API + ", not annotated @" + TENANT_METRICS_OPT_IN
                + (alsoAllowed == null ? "" : " and not " + alsoAllowed.getDescription()),
            unit -> !isTenantMetricsOptIn(unit) && (alsoAllowed == null || !alsoAllowed.test(unit)));
    return codeUnits()
        .that(notOptedIn)
        .should(notReadTheTenantAndAddAMetricTag())
        .because(
            "a tenant tag multiplies every series by the number of tenants; read the tenant and tag in"
                + " separate methods if the tag is unrelated, or tag through " + TENANT_METRICS_API
                + " (cardinality-capped) or a method annotated @" + TENANT_METRICS_OPT_IN)
        .allowEmptyShould(true);
  }

  /**
   * Matches classes that declare a launchable {@code main} method (see
   * {@link #MAIN_CALLS_BOOTSTRAP}); combine it to narrow the checked entry points, e.g.
   * {@code declareALaunchableMain().and(not(resideInAPackage("..tools..")))}.
   *
   * @return the predicate
   */
  public static DescribedPredicate<JavaClass> declareALaunchableMain() {
    return DescribedPredicate.describe(
        "declare a main method", javaClass -> launchableMain(javaClass).isPresent());
  }

  // ---------------------------------------------------------------------------------------------
  // main and the bootstrap

  /** The main method the java launcher would pick from those the class declares (JEP 512 order). */
  static Optional<JavaMethod> launchableMain(JavaClass javaClass) {
    if (javaClass.isAnnotation()) {
      return Optional.empty();
    }
    boolean instantiable = !javaClass.isInterface() && !javaClass.getModifiers().contains(JavaModifier.ABSTRACT);
    return javaClass.getMethods().stream()
        .filter(m -> m.getName().equals("main"))
        .filter(m -> m.getRawReturnType().getName().equals("void"))
        .filter(m -> !m.getModifiers().contains(JavaModifier.PRIVATE))
        .filter(m -> !m.getModifiers().contains(JavaModifier.ABSTRACT))
        .filter(m -> !m.getModifiers().contains(JavaModifier.SYNTHETIC))
        .filter(TelemetryRules::hasMainParameters)
        .filter(m -> m.getModifiers().contains(JavaModifier.STATIC) || instantiable)
        .min(
            Comparator.comparing((JavaMethod m) -> !m.getModifiers().contains(JavaModifier.STATIC))
                .thenComparing(m -> m.getRawParameterTypes().isEmpty()));
  }

  private static boolean hasMainParameters(JavaMethod method) {
    List<JavaClass> params = method.getRawParameterTypes();
    return params.isEmpty()
        || (params.size() == 1 && params.get(0).getName().equals(String[].class.getName()));
  }

  private static ArchCondition<JavaClass> callTheBootstrap() {
    return new ArchCondition<>("call Telemetry.bootstrap() or TelemetryBuilder.build()") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        Optional<JavaMethod> main = launchableMain(javaClass);
        Deque<JavaCodeUnit> queue = new ArrayDeque<>();
        if (main.isPresent()) {
          queue.add(main.get());
          javaClass.getStaticInitializer().ifPresent(queue::add);
        } else {
          queue.addAll(javaClass.getCodeUnits());
        }
        Set<JavaCodeUnit> seen = new HashSet<>(queue);
        while (!queue.isEmpty()) {
          JavaCodeUnit unit = queue.poll();
          for (JavaCall<?> call : unit.getCallsFromSelf()) {
            if (isBootstrapCall(call.getTarget())) {
              events.add(
                  SimpleConditionEvent.satisfied(
                      javaClass, javaClass.getName() + " calls the bootstrap: " + call.getDescription()));
              return;
            }
            if (selfOrEnclosing(call.getTargetOwner()).anyMatch(c -> c.equals(javaClass))) {
              Optional<? extends JavaMember> target = call.getTarget().resolveMember();
              if (target.isPresent() && target.get() instanceof JavaCodeUnit) {
                JavaCodeUnit next = (JavaCodeUnit) target.get();
                if (seen.add(next)) {
                  queue.add(next);
                }
              }
            }
          }
        }
        String where =
            main.map(m -> "main method <" + signature(m) + "> in " + m.getSourceCodeLocation())
                .orElse("entry point " + javaClass.getSourceCodeLocation());
        events.add(
            SimpleConditionEvent.violated(
                javaClass,
                "Class <" + javaClass.getName() + "> never calls Telemetry.bootstrap() or"
                    + " TelemetryBuilder.build(): checked its " + where
                    + (main.isPresent() ? ", its static initializer" : "")
                    + " and the methods of " + javaClass.getSimpleName() + " (and its nested classes)"
                    + " they call"));
      }
    };
  }

  private static boolean isBootstrapCall(AccessTarget target) {
    String owner = target.getOwner().getName();
    return (owner.equals(TELEMETRY) && target.getName().equals("bootstrap"))
        || (owner.equals(TELEMETRY_BUILDER) && target.getName().equals("build"));
  }

  // ---------------------------------------------------------------------------------------------
  // tenant metric tags

  private static boolean isTenantMetricsOptIn(JavaCodeUnit unit) {
    if (selfOrEnclosing(unit.getOwner()).anyMatch(c -> c.getName().equals(TENANT_METRICS_API))) {
      return true;
    }
    for (JavaAnnotation<?> annotation : unit.getAnnotations()) {
      if (annotation.getRawType().getSimpleName().equals(TENANT_METRICS_OPT_IN)) {
        return true;
      }
    }
    return false;
  }

  private static ArchCondition<JavaCodeUnit> notReadTheTenantAndAddAMetricTag() {
    return new ArchCondition<>("not both read the tenant and add a metric tag") {
      @Override
      public void check(JavaCodeUnit unit, ConditionEvents events) {
        Optional<JavaCall<?>> read = firstCall(unit, TelemetryRules::readsTenant);
        Optional<JavaCall<?>> tag =
            read.isPresent() ? firstCall(unit, TelemetryRules::addsMetricTag) : Optional.empty();
        if (read.isPresent() && tag.isPresent()) {
          events.add(
              SimpleConditionEvent.violated(
                  unit,
                  unit.getDescription() + " reads the tenant (" + describeTarget(read.get()) + " in "
                      + read.get().getSourceCodeLocation() + ") and adds a metric tag ("
                      + describeTarget(tag.get()) + " in " + tag.get().getSourceCodeLocation() + ")"));
        } else {
          events.add(SimpleConditionEvent.satisfied(unit, unit.getDescription() + " does not tag with the tenant"));
        }
      }
    };
  }

  private static Optional<JavaCall<?>> firstCall(
      JavaCodeUnit unit, java.util.function.Predicate<AccessTarget.CodeUnitCallTarget> predicate) {
    return unit.getCallsFromSelf().stream()
        .filter(call -> predicate.test(call.getTarget()))
        .min(Comparator.comparingInt((JavaCall<?> call) -> call.getLineNumber()).thenComparing(JavaCall::getDescription));
  }

  /** {@code Counter.Builder.tag(String, String)}: the target as a Java reader writes it. */
  private static String describeTarget(JavaCall<?> call) {
    AccessTarget.CodeUnitCallTarget target = call.getTarget();
    String params =
        target.getRawParameterTypes().stream().map(JavaClass::getSimpleName).collect(Collectors.joining(", "));
    JavaClass owner = target.getOwner();
    String pkg = owner.getPackageName();
    String local = (pkg.isEmpty() ? owner.getName() : owner.getName().substring(pkg.length() + 1)).replace('$', '.');
    String name = target.getName().equals("<init>") ? "new " + local : local + "." + target.getName();
    return name + "(" + params + ")";
  }

  /** {@code com.example.Main.main(java.lang.String[])}. */
  private static String signature(JavaCodeUnit unit) {
    return unit.getOwner().getName() + "." + unit.getName()
        + unit.getRawParameterTypes().stream().map(TelemetryRules::typeName).collect(Collectors.joining(", ", "(", ")"));
  }

  private static String typeName(JavaClass type) {
    return type.isArray() ? typeName(type.getComponentType()) + "[]" : type.getName();
  }

  static boolean readsTenant(AccessTarget.CodeUnitCallTarget target) {
    String owner = target.getOwner().getName();
    String name = target.getName();
    if (owner.equals(TENANT)) {
      return name.equals("current") || name.equals("fromContext");
    }
    return name.equals("getEntryValue") && target.getOwner().isAssignableTo(BAGGAGE);
  }

  static boolean addsMetricTag(AccessTarget.CodeUnitCallTarget target) {
    JavaClass ownerClass = target.getOwner();
    String owner = ownerClass.getName();
    String name = target.getName();
    if (owner.startsWith(MICROMETER)) {
      String local = owner.substring(MICROMETER.length());
      switch (local) {
        case "Tag":
          return name.equals("of");
        case "Tags":
          return name.equals("of") || name.equals("and") || name.equals("concat");
        case "ImmutableTag":
          return name.equals("<init>");
        case "Meter$MeterProvider":
          return name.equals("withTag") || name.equals("withTags");
        case "MeterRegistry$Config":
          return name.equals("commonTags");
        case "config.MeterFilter":
          return name.equals("commonTags");
        case "Metrics":
        case "MeterRegistry$More":
          return hasTagParameters(target);
        default:
          if (!local.contains(".") && local.endsWith("$Builder")) {
            return name.equals("tag") || name.equals("tags");
          }
      }
    }
    if (owner.equals("io.micrometer.observation.Observation")) {
      return name.equals("lowCardinalityKeyValue") || name.equals("lowCardinalityKeyValues");
    }
    if (owner.equals("io.micrometer.observation.Observation$Context")) {
      return name.equals("addLowCardinalityKeyValue") || name.equals("addLowCardinalityKeyValues");
    }
    if (owner.startsWith("io.opentelemetry.api.metrics.")) {
      return target.getRawParameterTypes().stream()
          .anyMatch(p -> p.getName().equals("io.opentelemetry.api.common.Attributes"));
    }
    return ownerClass.isAssignableTo(MICROMETER + "MeterRegistry") && hasTagParameters(target);
  }

  private static boolean hasTagParameters(AccessTarget.CodeUnitCallTarget target) {
    return target.getRawParameterTypes().stream()
        .map(JavaType::getName)
        .anyMatch(n -> n.equals(String[].class.getName()) || n.equals(Iterable.class.getName()));
  }

  // ---------------------------------------------------------------------------------------------

  private static java.util.stream.Stream<JavaClass> selfOrEnclosing(JavaClass javaClass) {
    return java.util.stream.Stream.iterate(
        javaClass, c -> c != null, c -> c.getEnclosingClass().orElse(null));
  }

  private static DescribedPredicate<JavaClass> anyOf(Class<?>... types) {
    Set<String> names = Arrays.stream(types).map(Class::getName).collect(Collectors.toSet());
    String description =
        Arrays.stream(types).map(Class::getName).sorted().collect(Collectors.joining(", ", "any of [", "]"));
    return DescribedPredicate.describe(description, javaClass -> names.contains(javaClass.getName()));
  }
}

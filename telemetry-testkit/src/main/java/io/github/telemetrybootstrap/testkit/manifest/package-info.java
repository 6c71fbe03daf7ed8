/**
 * Lint of Kubernetes manifests' Prometheus scrape annotations:
 * {@link io.github.telemetrybootstrap.testkit.manifest.ManifestLint}.
 */
package io.github.telemetrybootstrap.testkit.manifest;

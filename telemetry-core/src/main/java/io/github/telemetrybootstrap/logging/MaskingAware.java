package io.github.telemetrybootstrap.logging;

/**
 * A provider that masks what it writes; {@link TelemetryJsonEncoder#start()} hands it the encoder's
 * {@link SecretMasking} (its extra keys). Until then it uses {@link SecretMasking#GLOBAL}.
 */
interface MaskingAware {
  void setMasking(SecretMasking masking);
}

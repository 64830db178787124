package dev.mfaservice.sdk

import java.io.PrintStream
import java.nio.ByteBuffer
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec

/**
 * The harness of the seed flows on the JVM (the Java native and the Kotlin SDK): runs each step,
 * goes on after a failed one, and reports every step as a TAP line (`ok 3 - name`, or `not ok` with
 * the error below it), the form node's test runner and seed_flows.py report in; SdkMatrixTest
 * reads them all the same way. Also the TOTP code an authenticator app shows, computed here.
 */
class SeedSteps(private val out: PrintStream) {
  private var count = 0

  fun interface Step {
    @Throws(Exception::class)
    fun run()
  }

  fun step(name: String, body: Step) {
    count++
    try {
      body.run()
      out.println("ok $count - $name")
    } catch (e: Throwable) {
      out.println("not ok $count - $name")
      out.println("  ---")
      out.println("  error: '" + e.toString().replace("'", "''").replace("\n", " ") + "'")
      out.println("  ...")
    }
  }

  companion object {
    /** Fails the running step unless [condition] holds. */
    @JvmStatic
    fun check(condition: Boolean, what: String) {
      if (!condition) throw AssertionError(what)
    }

    /** RFC 6238 (HMAC-SHA1, 6 digits, 30 s) of a base32 secret, [offsetSeconds] from now. */
    @JvmStatic
    fun totp(secret: String, offsetSeconds: Long): String {
      val alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
      val bits = secret.trimEnd('=').uppercase().map { alphabet.indexOf(it).toString(2).padStart(5, '0') }.joinToString("")
      val key = bits.chunked(8).filter { it.length == 8 }.map { it.toInt(2).toByte() }.toByteArray()
      val mac = Mac.getInstance("HmacSHA1").apply { init(SecretKeySpec(key, "HmacSHA1")) }
      val step = (System.currentTimeMillis() / 1000 + offsetSeconds) / 30
      val hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array())
      val offset = hash[hash.size - 1].toInt() and 0xf
      val code = ByteBuffer.wrap(hash, offset, 4).int and 0x7fffffff
      return (code % 1_000_000).toString().padStart(6, '0')
    }
  }
}

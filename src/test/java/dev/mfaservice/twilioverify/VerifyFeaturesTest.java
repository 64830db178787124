package dev.mfaservice.twilioverify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.verify.v2.Service;
import com.twilio.rest.verify.v2.service.Verification;
import com.twilio.rest.verify.v2.service.VerificationCheck;
import dev.mfaservice.support.FakeTwilio;
import dev.mfaservice.support.Mailbox;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import dev.mfaservice.support.VerifyAccount;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A Verify Service's switches through twilio-java, as a user sees them: the SMS received (language, the Service's
 * name, a PSD2 transaction, the do-not-share warning), the answers (lookup, amount, payee) and Twilio's refusals
 * (60204, 60205, 60206, 60200), each refusal sending nothing.
 */
class VerifyFeaturesTest {
  static FakeTwilio twilio;
  static Mailbox mail;
  static TestServer server;
  static TwilioRestClient client;

  @BeforeAll
  static void start() {
    twilio = FakeTwilio.start();
    mail = Mailbox.start();
    Map<String, String> env = new HashMap<>(twilio.env());
    env.putAll(mail.env());
    env.put("MFA_SMS_ALLOWED_COUNTRY_CODES", "33,34,41,49");
    env.put("MFA_NOTIFY_SWEEP_SECONDS", "1");
    env.put("MFA_LIMITS_SMS_PER_PREFIX_PER_HOUR", "1000");
    env.put("MFA_LIMITS_PER_ADDRESS_INTERVAL_SECONDS", "0");
    server = TestServer.start(VerifyFeaturesTest.class, env, Clock.systemUTC());
    client = VerifyAccount.of(server, "Verify Features Org").client(server);
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
    mail.close();
  }

  static String sms(String to) {
    return twilio.await(to, 1, 10_000).get(0).body();
  }

  static String code(String to) {
    return FakeTwilio.code(twilio.await(to, 1, 10_000).get(0), "(\\d{6})");
  }

  static void refused(int code, int status, Executable call) {
    ApiException e = assertThrows(ApiException.class, call);
    assertEquals(code, e.getCode(), e.getMessage());
    assertEquals(status, e.getStatusCode(), e.getMessage());
  }

  @Test
  void psd2BindsTheCodeToItsAmountAndPayee() {
    String psd2 = Service.creator("Acme Bank").setPsd2Enabled(true).create(client).getSid();
    String to = "+4915112340001";
    refused(60206, 400, () -> Verification.creator(psd2, to, "sms").create(client));
    refused(60206, 400, () -> Verification.creator(psd2, to, "sms").setAmount("€12.50").create(client));
    Verification started = Verification.creator(psd2, to, "sms").setAmount("€12.50").setPayee("Mustermann GmbH")
      .setLocale("en").create(client);
    assertEquals("€12.50", started.getAmount());
    assertEquals("Mustermann GmbH", started.getPayee());
    String code = code(to);
    assertEquals("Your Acme Bank verification code is: " + code + ". Amount: €12.50. Payee: Mustermann GmbH.", sms(to));

    refused(60206, 400, () -> VerificationCheck.creator(psd2).setTo(to).setCode(code).create(client));
    VerificationCheck otherPayee = VerificationCheck.creator(psd2).setTo(to).setCode(code).setAmount("€12.50")
      .setPayee("Someone Else").create(client);
    assertEquals("pending", otherPayee.getStatus(), "a code is good for its own transaction only");
    VerificationCheck approved = VerificationCheck.creator(psd2).setTo(to).setCode(code).setAmount("€12.50")
      .setPayee("Mustermann GmbH").create(client);
    assertEquals("approved", approved.getStatus());
    assertEquals("Mustermann GmbH", approved.getPayee());
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '"
      + started.getSid() + "' and event_type = 'verify.verification.check_failed'"), "the other payee was a miss");

    String plain = Service.creator("Plain").create(client).getSid();
    refused(60204, 403, () -> Verification.creator(plain, "+4915112340002", "sms").setAmount("1").setPayee("x")
      .create(client));
  }

  @Test
  void aCustomCodeNeedsTheServiceSwitch() {
    String plain = Service.creator("No custom").create(client).getSid();
    refused(60204, 403, () -> Verification.creator(plain, "+4915112340003", "sms").setCustomCode("482913").create(client));
    String custom = Service.creator("Custom").setCustomCodeEnabled(true).create(client).getSid();
    String to = "+4915112340004";
    Verification started = Verification.creator(custom, to, "sms").setCustomCode("482913").create(client);
    assertEquals("482913", code(to));
    assertEquals("approved", VerificationCheck.creator(custom).setVerificationSid(started.getSid()).setCode("482913")
      .create(client).getStatus());
    assertEquals(0, twilio.to("+4915112340003").size(), "a refusal sends nothing");
  }

  @Test
  void theMessageIsInTheLocaleElseTheNumbersCountrysLanguage() {
    String shop = Service.creator("Shop").setDoNotShareWarningEnabled(true).create(client).getSid();
    Verification.creator(shop, "+33612340005", "sms").create(client);
    String code = code("+33612340005");
    assertEquals("Votre code de vérification Shop est : " + code
      + " Ne communiquez ce code à personne. Nous ne vous le demanderons jamais.", sms("+33612340005"));
    Verification.creator(shop, "+4915112340006", "sms").setLocale("es").setCustomFriendlyName("Tienda").create(client);
    assertTrue(sms("+4915112340006").startsWith("Su código de verificación de Tienda es: "), sms("+4915112340006"));
    Verification.creator(shop, "+34612340007", "sms").setLocale("ja").create(client);
    assertTrue(sms("+34612340007").startsWith("Your Shop verification code is: "), "no Japanese texts: English");
    refused(60200, 400, () -> Verification.creator(shop, "+4915112340008", "sms").setLocale("12").create(client));
  }

  @Test
  void lookupTellsTheLineTypeAndLandlinesGetNoSms() {
    String looked = Service.creator("Lookup").setLookupEnabled(true).setSkipSmsToLandlines(true).create(client).getSid();
    Verification mobile = Verification.creator(looked, "+4915112340009", "sms").create(client);
    Map<?, ?> carrier = (Map<?, ?>) ((Map<?, ?>) mobile.getLookup()).get("carrier");
    assertEquals("mobile", carrier.get("type"), String.valueOf(mobile.getLookup()));
    refused(60205, 403, () -> Verification.creator(looked, "+493012340010", "sms").create(client));
    assertEquals(0, twilio.to("+493012340010").size(), "no SMS to a landline");
    String plain = Service.creator("No lookup").create(client).getSid();
    assertEquals(Map.of(), Verification.creator(plain, "+4915112340011", "sms").create(client).getLookup());
  }

  @Test
  void anEmailCodeArrivesAtTheMailServerAndApproves() throws Exception {
    String shop = Service.creator("Mail Shop").setDoNotShareWarningEnabled(true).create(client).getSid();
    Verification started = Verification.creator(shop, "ada@verify.test", "email").setLocale("de").create(client);
    MimeMessage message = mail.await("ada@verify.test", 1, 10_000).get(0);
    assertEquals("Mail Shop: Ihr Bestätigungscode", Mailbox.subject(message));
    String code = Mailbox.find(message, "(\\d{6})");
    assertTrue(Mailbox.text(message).startsWith("Ihr Mail Shop-Bestätigungscode lautet: " + code), Mailbox.text(message));
    assertTrue(Mailbox.text(message).contains("Geben Sie diesen Code niemandem weiter."), Mailbox.text(message));
    assertTrue(Mailbox.html(message).contains("<strong>" + code + "</strong>"), Mailbox.html(message));
    assertEquals("approved", VerificationCheck.creator(shop).setTo("ada@verify.test").setCode(code).create(client)
      .getStatus());
    assertEquals(20404, assertThrows(ApiException.class, () -> Verification.fetcher(shop, started.getSid()).fetch(client))
      .getCode());
  }

  @Test
  void featuresNotServedAreRefusedNotDropped() {
    String service = Service.creator("Templates").create(client).getSid();
    String to = "+4915112340013";
    refused(60204, 403, () -> Verification.creator(service, to, "sms").setTemplateSid("HJ0123456789abcdef0123456789abcdef")
      .create(client));
    refused(60204, 403, () -> Verification.creator(service, to, "sms").setAppHash("FA+9qCX9VSu").create(client));
    assertEquals("pending", Verification.creator(service, to, "sms").setDeviceIp("192.0.2.7").setRiskCheck(
      Verification.RiskCheck.ENABLE).create(client).getStatus(), "Fraud Guard inputs: accepted, the own guards apply");
    assertEquals(1, twilio.await(to, 1, 10_000).size(), "one SMS: the refused ones sent nothing");
  }

  @Test
  void numbersFollowTheInstancesPhoneRules() {
    String service = Service.creator("Rules").create(client).getSid();
    refused(60200, 400, () -> Verification.creator(service, "+449012340012", "sms").create(client));
    refused(60200, 400, () -> Verification.creator(service, "+4990012345678", "sms").create(client));
    refused(60200, 400, () -> Verification.creator(service, "+4915", "sms").create(client));
    assertEquals(0, twilio.sentCount("+44") + twilio.sentCount("+49900") + twilio.to("+4915").size(), "nothing sent");
  }
}

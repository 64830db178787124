package dev.mfaservice.user;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.mfaservice.errors.ApiError;
import java.util.Set;

/**
 * Phone numbers as libphonenumber reads them: parsed with the default region, possible and
 * valid (SEC B3), not premium-rate or shared-cost (B2), of an allowed country calling code when
 * the instance limits them (SMS pumping), and stored in E.164.
 */
public final class PhoneNumbers {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final Set<PhoneNumberType> REFUSED = Set.of(PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST,
    PhoneNumberType.UNKNOWN);
  private final String defaultRegion;
  private final Set<Integer> allowedCountryCodes;

  /** @param allowedCountryCodes empty = every country */
  public PhoneNumbers(String defaultRegion, Set<Integer> allowedCountryCodes) {
    this.defaultRegion = defaultRegion;
    this.allowedCountryCodes = Set.copyOf(allowedCountryCodes);
  }

  /** The E.164 form, or 400 naming {@code field}. */
  public String normalize(String raw, String field) {
    PhoneNumber number;
    try {
      number = UTIL.parse(raw.trim(), defaultRegion);
    } catch (NumberParseException e) {
      throw invalid(field, "not a phone number");
    }
    if (!UTIL.isPossibleNumber(number)) {
      throw invalid(field, "not a possible phone number");
    }
    if (!UTIL.isValidNumber(number)) {
      throw invalid(field, "not a valid phone number");
    }
    if (REFUSED.contains(UTIL.getNumberType(number))) {
      throw invalid(field, "premium-rate, shared-cost and unknown kinds of numbers are refused");
    }
    if (!allowedCountryCodes.isEmpty() && !allowedCountryCodes.contains(number.getCountryCode())) {
      throw invalid(field, "numbers with country calling code +" + number.getCountryCode() + " are not allowed on this instance");
    }
    return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
  }

  private static ApiError invalid(String field, String problem) {
    return ApiError.invalidArgument("API-phone", "invalid request: " + field + ": " + problem);
  }
}

package dev.mfaservice.org;

/** An organization: the owner of users and of its login policy. */
public record Org(String id, String name, long sequence) {
}

import Testing

@testable import Signing

@Suite("gpg's status lines")
struct OpenPGPVerifierTests {
  func output(_ status: Int32) -> ProcessRunner.Output {
    ProcessRunner.Output(
      status: status, terminatedBySignal: false, standardOutput: [], standardError: "gpg: oops")
  }

  @Test("a good signature gives the signing key's fingerprint and its primary key's")
  func validSignature() {
    let status = """
      [GNUPG:] NEWSIG
      [GNUPG:] GOODSIG 89ABCDEF01234567 bob <bob@example.com>
      [GNUPG:] VALIDSIG aaaa000000000000000000000000000000000001 2026-12-02 1764633600 0 4 0 22 10 00 BBBB000000000000000000000000000000000002
      [GNUPG:] TRUST_UNDEFINED 0 pgp

      """
    #expect(
      OpenPGPVerifier.outcome(status: status, output(0))
        == .valid(fingerprints: [
          "AAAA000000000000000000000000000000000001", "BBBB000000000000000000000000000000000002",
        ]))
  }

  @Test("a missing key, a bad signature and a missing gpg are not verified, in words")
  func notVerified() {
    #expect(
      OpenPGPVerifier.outcome(
        status:
          "[GNUPG:] ERRSIG 89ABCDEF01234567 22 10 00 1764633600 9 -\n[GNUPG:] NO_PUBKEY 89ABCDEF01234567\n",
        output(2)) == .notVerified("its OpenPGP key 89ABCDEF01234567 is not in gpg's keyring"))
    let bad = OpenPGPVerifier.outcome(
      status: "[GNUPG:] BADSIG 89ABCDEF01234567 bob\n", output(1))
    #expect(bad == .notVerified("gpg did not verify it: gpg: oops"))
    #expect(
      OpenPGPVerifier.outcome(status: "", output(127)) == .notVerified("gpg is not installed"))
  }
}

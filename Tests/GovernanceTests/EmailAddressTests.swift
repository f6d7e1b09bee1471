import Testing

@testable import Governance

/// Addresses compare without case, `+tag` or surrounding `<>`; those already in that form are
/// returned as they are, the rest are rewritten.
@Suite struct EmailAddressTests {
  @Test(arguments: [
    ("ada@example.com", "ada@example.com"),
    ("Ada@Example.COM", "ada@example.com"),
    ("ada+release@example.com", "ada@example.com"),
    ("ada@exa+mple.com", "ada@exa+mple.com"),
    ("<ada@example.com>", "ada@example.com"),
    (" ada@example.com ", "ada@example.com"),
    ("ÁDA@example.com", "áda@example.com"),
    ("zoë@exämple.com", "zoë@exämple.com"),
    ("no-at-sign", "no-at-sign"),
    ("NO+AT", "no+at"),
    ("", ""),
  ])
  func canonical(_ input: String, _ expected: String) {
    #expect(EmailAddress.canonical(input) == expected)
    #expect(EmailAddress.canonical(expected) == expected)
  }
}

/// Equal strings read from many records, kept once. Tens of thousands of records repeat the
/// same few long values (the repository id, the policy blob, each person's email, a release's
/// target and tree), and each read would otherwise hold its own copy for as long as the record
/// is kept. One reader owns a table (it is not shared between threads); equal strings are
/// equal however they are stored, so a table changes what a record holds in memory, never
/// what it says.
public final class StringTable {
  /// Strings up to 15 UTF-8 bytes are stored inside the `String` value itself: nothing to share.
  private static let inlineLength = 15

  private var strings: Set<String> = []
  private let capacity: Int

  /// Past `capacity` strings the table starts again, so that one holding values that never
  /// repeat (times, comments) stays bounded.
  public init(capacity: Int = 1 << 16) { self.capacity = capacity }

  /// `string`, or the equal one read before.
  public func shared(_ string: String) -> String {
    guard string.utf8.count > Self.inlineLength else { return string }
    if strings.count >= capacity { strings.removeAll(keepingCapacity: true) }
    return strings.insert(string).memberAfterInsert
  }
}

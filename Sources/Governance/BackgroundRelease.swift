import Foundation

/// Frees a large value on another thread, so the caller goes on (or exits) without waiting for
/// its many small deallocations: the audit's report of 10,000 releases took ~0.1 s to free
/// piece by piece after it was written, and its JSON tree as long. Only where little is
/// allocated afterwards: memory freed later is still counted while the caller allocates.
public func releaseInBackground<Value>(_ value: consuming Value) {
  let parcel = Parcel(value)
  DispatchQueue.global(qos: .utility).async { parcel.empty() }
}

/// Holds a value until `empty` on the thread that frees it. Only that thread touches it after
/// the hand-over.
private final class Parcel<Value>: @unchecked Sendable {
  private var value: Value?
  init(_ value: consuming Value) { self.value = value }
  func empty() { value = nil }
}

/// Never frees `value`: for a command about to exit, freeing hundreds of thousands of small
/// objects one by one is work nobody waits for (the audit's seals, commits and report).
public func keepUntilExit<Value>(_ value: consuming Value) {
  _ = Unmanaged.passRetained(Parcel(value))
}

/// Never frees `value`: for a command about to exit, freeing hundreds of thousands of small
/// objects one by one is work nobody waits for (the audit's report, ~0.1 s). Only a command
/// decides this, for what it holds once its work is done; the libraries below always free
/// what they make (the audit frees its seals and commits before the report is rendered, so
/// that they do not add to its peak memory).
func keepUntilExit<Value>(_ value: consuming Value) {
  _ = Unmanaged.passRetained(Parcel(value))
}

/// A value boxed so that it can be retained past its last use.
private final class Parcel<Value> {
  let value: Value
  init(_ value: consuming Value) { self.value = value }
}

/// Never frees `value`: for a command about to exit, freeing hundreds of thousands of small
/// objects one by one is work nobody waits for (the audit's seals, commits and report, ~0.1 s
/// each). Only a command decides this; the libraries below always free what they make, or
/// hand it to the command (`GovernanceAudit.leftovers`).
func keepUntilExit<Value>(_ value: consuming Value) {
  _ = Unmanaged.passRetained(Parcel(value))
}

/// A value boxed so that it can be retained past its last use.
private final class Parcel<Value> {
  let value: Value
  init(_ value: consuming Value) { self.value = value }
}

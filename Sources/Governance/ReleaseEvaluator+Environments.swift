import Foundation

/// Promotion order (`environments:`): a release to an environment with `after` needs the
/// server's receipt that the same tree reached the earlier environment at least `soak` ago.
/// Only receipts count: they are signed by the server with its own clock, so neither the
/// time nor the push is anyone's claim.
extension ReleaseEvaluator {
  func promotionChecks(_ facts: ReleaseFacts, exception: EffectiveException?) -> [Check] {
    guard let (environment, earlier) = policy.environments.promotion(to: facts.ref) else {
      return []
    }
    let reached = facts.promotionReceipts.compactMap { receipt -> (Date, Signed<PushReceipt>)? in
      guard receipt.record.tree == facts.targetTree, earlier.holds(receipt.record.ref),
        let at = Timestamp.parse(receipt.record.created), at <= now
      else { return nil }
      return (at, receipt)
    }.min { $0.0 < $1.0 }
    let tree = short(facts.targetTree)
    let soak = DurationText.text(fromSeconds: environment.soak)
    let problem: String
    if let (at, receipt) = reached {
      let ready = at.addingTimeInterval(TimeInterval(environment.soak))
      if ready <= now {
        return [
          Check(
            "promotion", .pass,
            "reached \(earlier.name) at \(receipt.record.created) (\(receipt.record.ref))"
              + (environment.soak > 0 ? ", over the \(soak) soak \(environment.name) needs" : ""))
        ]
      }
      problem =
        "tree \(tree) reached \(earlier.name) at \(receipt.record.created) (\(receipt.record.ref)); "
        + "\(environment.name) needs it to soak there \(soak): it may come here from \(Timestamp.format(ready))"
    } else {
      problem =
        "\(facts.ref) is in environment \(environment.name), which comes after \(earlier.described): "
        + "commit \(short(facts.target)) (tree \(tree)) has not reached \(earlier.name) yet; release it there first "
        + "(git govern request \(short(facts.target)) --to <a ref of \(earlier.name)>, approved and pushed)"
        + (environment.soak > 0 ? ", then wait \(soak)" : "")
    }
    if let exception, exception.kind == .emergency {
      return [
        Check(
          "promotion", .warn,
          "emergency: \(problem); the exception signed by \(exception.signers.joined(separator: ", ")) lets it skip the promotion order"
        )
      ]
    }
    return [Check("promotion", .blocker, problem)]
  }
}

import ArgumentParser
import Foundation
import Governance
import Ledger

struct AccessReviewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "access-review",
    abstract:
      "Every person's roles (and whether each still counts), keys, and when each key last signed.")

  @Flag(help: "Machine-readable output.")
  var json = false

  func run() throws {
    let session = try Session()
    let state = try session.state()
    guard let tip = try session.ledger.tip() else {
      throw UsageError("no governance branch here; run git govern init")
    }
    let review = try AccessReview.build(state: state, tip: tip, now: Date())
    if json {
      Message.out(try Message.json(review))
      return
    }
    Message.out(
      review.recertify_every.map {
        "Roles lapse \($0) after their last recertification (recertify_every)."
      }
        ?? "The policy has no recertify_every: roles do not lapse.")
    for person in review.people {
      Message.out(person.principal)
      for role in person.roles {
        let when =
          role.lapses_at.map {
            ", recertified by \(role.recertified_by ?? "?") at \(role.recertified_at ?? "?"), \(role.state == "lapsed" ? "lapsed" : "lapses") at \($0)"
          } ?? ""
        Message.out("  role \(role.role): \(role.state)\(when)")
      }
      for key in person.keys {
        Message.out(
          "  key \(key.fingerprint): "
            + (key.last_signed.map { "last signed a governance commit at \($0)" }
              ?? "never signed a governance commit"))
      }
    }
  }
}

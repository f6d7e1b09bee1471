import Foundation

/// Who is pushing, as the forge tells its hooks: `GIT_GOVERN_PUSHER` where the platform owner
/// sets it (sshd `environment=` or a forced command); else what common forges set themselves:
/// Gitea's `GITEA_PUSHER_NAME`, GitLab's `GL_USERNAME`, gitolite's `GL_USER`, `git http-backend`'s
/// `REMOTE_USER`.
enum Pusher {
  static let variables = [
    "GIT_GOVERN_PUSHER", "GITEA_PUSHER_NAME", "GL_USERNAME", "GL_USER", "REMOTE_USER",
  ]

  static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String?
  {
    variables.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
  }

  /// On a client (pre-push, `check`, `status`) nobody else pushes: the forge's variable if one
  /// is set, else the actor, `user.email`.
  static func onClient(_ session: Session) -> String? {
    fromEnvironment() ?? (try? session.repository.configString("user.email")).flatMap { $0 }
  }
}

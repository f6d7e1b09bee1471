import Foundation

/// Who is pushing, as the forge tells its hooks: `GIT_GOVERN_PUSHER` where the platform owner
/// sets it (sshd `environment=` or a forced command); else what common forges set themselves:
/// Gitea's `GITEA_PUSHER_NAME`, GitLab's `GL_USERNAME`, `git http-backend`'s `REMOTE_USER`.
enum Pusher {
  static let variables = ["GIT_GOVERN_PUSHER", "GITEA_PUSHER_NAME", "GL_USERNAME", "REMOTE_USER"]

  static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String?
  {
    variables.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
  }
}

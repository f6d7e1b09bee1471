/// The one place git-govern's version is written: `git govern --version` prints it, and the man
/// pages carry it in their footer. Raised with each release of the tool.
public enum GitGovernVersion {
  public static let number = "0.19.0"
}

/// What text the platform stores. SQLite cuts a string at NUL and PostgreSQL refuses it, so text
/// with control characters would be stored differently on the two databases, or not at all;
/// bidi overrides in a file name make `evil‮gpj.exe` look like a picture.
public enum TextRules {
    /// Control characters other than tab, line feed and carriage return (a form's line break).
    public static func hasControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { s in
            (s.value < 0x20 && s != "\t" && s != "\n" && s != "\r") || (0x7F...0x9F).contains(s.value)
        }
    }

    /// A file name that is safe to keep and show: no path parts, control characters or bidi overrides.
    public static func isSafeFileName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && !name.contains("..") && !name.contains("/") && !name.contains("\\")
            && !hasControlCharacter(name) && !name.contains("\t") && !name.contains("\n") && !name.contains("\r")
            && !name.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }
    }
}

/// Where the site may send a browser back to after a form: only a path on this site. A value is
/// accepted when it starts with exactly one `/` (not `//` or `/\`, which browsers read as another
/// host), holds no control characters or backslashes anywhere, and no scheme; anything else
/// becomes `/`.
public enum LocalPath {
    public static func safe(_ candidate: String?) -> String {
        guard let p = candidate, p.hasPrefix("/") else { return "/" }
        let scalars = Array(p.unicodeScalars)
        if scalars.count > 1, scalars[1] == "/" || scalars[1] == "\\" { return "/" }
        if scalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }) { return "/" }
        // Percent-encoded slashes, backslashes and controls decode to the same tricks.
        let lower = String(p.prefix { $0 != "?" && $0 != "#" }).lowercased()
        if ["%2f", "%5c", "%09", "%0a", "%0d", "%00"].contains(where: { lower.contains($0) }) { return "/" }
        guard p.count <= 2000 else { return "/" }
        return p
    }
}

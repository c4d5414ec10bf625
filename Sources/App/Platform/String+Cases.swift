
extension String {
    /// `street_id` → `streetId`.
    var camelCased: String {
        let parts = split(separator: "_")
        return parts.enumerated().map { $0 == 0 ? String($1) : $1.prefix(1).uppercased() + $1.dropFirst() }.joined()
    }
}

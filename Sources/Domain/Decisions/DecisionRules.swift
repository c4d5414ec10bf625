/// What a decision must say before it can be drafted.
public enum DecisionRules {
    /// An election names distinct, non-empty candidates; names may not hold the separators the
    /// ballot's choice list uses.
    public static func validCandidates(_ names: [String]) -> Bool {
        !names.isEmpty && Set(names).count == names.count && !names.contains { $0.isEmpty || $0.contains(";") || $0.contains("=") || $0.contains("\n") }
    }

    /// An election fills from one seat to as many as there are candidates.
    public static func validSeats(_ seats: Int?, candidates: Int) -> Bool {
        guard let seats else { return false }
        return seats >= 1 && seats <= max(1, candidates)
    }
}

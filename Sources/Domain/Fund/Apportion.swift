import Foundation

/// Splits an amount in fen by weights (areas, balances) exactly: every share is rounded down and
/// the fen left over go one each to the largest remainders, ties to the smaller id — so the shares
/// always add up to the amount and the same input always gives the same split.
public enum Apportion {
    public static func byWeight(_ amount: Int64, _ weights: [(id: UUID, weight: Int64)]) -> [UUID: Int64] {
        let total = weights.reduce(Int64(0)) { $0 + max(0, $1.weight) }
        guard amount > 0, total > 0 else { return Dictionary(weights.map { ($0.id, 0) }, uniquingKeysWith: { a, _ in a }) }
        var shares: [UUID: Int64] = [:]
        var remainders: [(id: UUID, remainder: Int64)] = []
        var given: Int64 = 0
        for w in weights {
            let product = amount.multipliedFullWidth(by: max(0, w.weight))
            let (q, r) = total.dividingFullWidth(product)
            shares[w.id, default: 0] += q
            given += q
            remainders.append((w.id, r))
        }
        let left = amount - given
        let order = remainders.sorted { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.id.uuidString < $1.id.uuidString }
        for entry in order.prefix(Int(left)) { shares[entry.id, default: 0] += 1 }
        return shares
    }
}

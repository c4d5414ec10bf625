import Foundation

/// An account of a compound's maintenance fund: the bank account holding the money, or one room's share of it.
public enum FundAccount: Sendable, Hashable {
    case bank
    case room(UUID)
}

/// One line of a double-entry transaction: debits positive, credits negative.
public struct Posting: Sendable, Hashable {
    public var account: FundAccount
    public var amount: Int64

    public init(_ account: FundAccount, _ amount: Int64) {
        self.account = account
        self.amount = amount
    }
}

/// What a transaction is.
public enum FundTransactionKind: String, RegistryCode, Codable { case deposit, interest, spending }

/// A balanced set of postings.
public struct FundTransaction: Sendable, Hashable {
    public var kind: FundTransactionKind
    public var postings: [Posting]

    public init(kind: FundTransactionKind, postings: [Posting]) {
        self.kind = kind
        self.postings = postings
    }
}

/// Why the ledger refused a transaction.
public enum FundError: Error, Equatable, Sendable {
    /// The postings do not add up to zero.
    case unbalanced
    /// A room would go below zero (the room and what it lacks, in fen).
    case insufficient(room: UUID, short: Int64)
    /// An amount is zero or negative where it must be positive.
    case notPositive
    /// A sum would not fit in 64 bits of fen (no real fund comes near; refused rather than wrapped).
    case tooLarge
}

/// A compound's maintenance fund (专项维修资金): the bank balance equals the sum of the rooms'
/// balances, no room goes below zero, and every transaction balances.
public struct FundLedger: Sendable, Hashable {
    /// Each room's share of the money, in fen.
    public private(set) var balances: [UUID: Int64] = [:]
    /// Everything ever deposited for each room.
    public private(set) var deposited: [UUID: Int64] = [:]
    /// The bank account's balance.
    public private(set) var bank: Int64 = 0

    public init() {}

    /// Applies a transaction, or throws and changes nothing.
    public mutating func apply(_ t: FundTransaction) throws(FundError) {
        func add(_ a: Int64, _ b: Int64) throws(FundError) -> Int64 {
            let (sum, overflow) = a.addingReportingOverflow(b)
            if overflow { throw .tooLarge }
            return sum
        }
        var total: Int64 = 0
        for p in t.postings { total = try add(total, p.amount) }
        guard total == 0 else { throw .unbalanced }
        var next = balances, nextBank = bank, nextDeposited = deposited
        for p in t.postings {
            switch p.account {
            case .bank: nextBank = try add(nextBank, p.amount)
            case .room(let id):
                guard p.amount != Int64.min else { throw .tooLarge }
                next[id] = try add(next[id] ?? 0, -p.amount)
                if t.kind == .deposit { nextDeposited[id] = try add(nextDeposited[id] ?? 0, -p.amount) }
            }
        }
        for (room, balance) in next where balance < 0 { throw .insufficient(room: room, short: -balance) }
        balances = next; bank = nextBank; deposited = nextDeposited
    }

    /// The ledger after replaying transactions in order.
    public static func replay(_ transactions: [FundTransaction]) throws(FundError) -> FundLedger {
        var ledger = FundLedger()
        for t in transactions { try ledger.apply(t) }
        return ledger
    }

    public var totalBalance: Int64 { balances.values.reduce(0, +) }
    public var totalDeposited: Int64 { deposited.values.reduce(0, +) }

    /// Money in the bank equals the rooms' shares, and no share is negative.
    public var isConsistent: Bool { bank == totalBalance && balances.values.allSatisfy { $0 >= 0 } }

    /// A compound whose balance fell below 30% of what was deposited must top up (续筹).
    public var needsTopUp: Bool {
        totalDeposited > 0 && !Ratio(totalBalance, totalDeposited).isAtLeast(Ratio(3, 10))
    }

    // MARK: - Building transactions

    /// A deposit for one room.
    public static func deposit(room: UUID, amount: Int64) throws(FundError) -> FundTransaction {
        guard amount > 0 else { throw .notPositive }
        return FundTransaction(kind: .deposit, postings: [Posting(.bank, amount), Posting(.room(room), -amount)])
    }

    /// What a room deposits at a rate per m²: area (hundredths of m²) × fen per m², rounded half up to the fen.
    /// Nil when the amount would not fit in 64 bits of fen.
    public static func depositAmount(area: Area, ratePerSqm: Money) -> Int64? {
        let product = area.hundredths.multipliedFullWidth(by: ratePerSqm.fen)
        // product ÷ 100 fits in Int64 when product < 50 × 2^64, that is, when the high half is below 50 (49 leaves room for rounding).
        guard product.high.magnitude < 49 else { return nil }
        let (q, r) = Int64(100).dividingFullWidth(product)
        return q + (r >= 50 ? 1 : 0)
    }

    /// Interest credited to every room in proportion to its balance.
    public func interest(_ amount: Int64) throws(FundError) -> FundTransaction {
        guard amount > 0 else { throw .notPositive }
        let shares = Apportion.byWeight(amount, balances.map { ($0.key, $0.value) })
        return FundTransaction(kind: .interest, postings: [Posting(.bank, amount)]
                               + shares.filter { $0.value > 0 }.sorted { $0.key.uuidString < $1.key.uuidString }.map { Posting(.room($0.key), -$0.value) })
    }

    /// A spending paid from the rooms that bear it, each by its share.
    public static func spending(_ shares: [UUID: Int64]) throws(FundError) -> FundTransaction {
        let total = shares.values.reduce(0, +)
        guard total > 0 else { throw .notPositive }
        return FundTransaction(kind: .spending, postings: [Posting(.bank, -total)]
                               + shares.filter { $0.value > 0 }.sorted { $0.key.uuidString < $1.key.uuidString }.map { Posting(.room($0.key), $0.value) })
    }
}

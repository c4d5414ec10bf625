import Domain
import Foundation
import Testing

@Suite("Duplicate requests")
struct DuplicatesTests {
    let compound = UUID(), other = UUID()
    let now = Date(timeIntervalSince1970: 1_796_004_000)

    func c(_ compound: UUID, _ category: RequestCategory = .greening, status: RequestStatus = .dispatched, daysAgo: Double = 1, merged: UUID? = nil) -> Duplicates.Candidate {
        .init(id: UUID(), compoundId: compound, category: category, status: status, receivedAt: now.addingTimeInterval(-daysAgo * 86_400), mergedInto: merged)
    }

    @Test("offered: same compound and category, still open, not merged, within seven days, newest first")
    func offered() {
        let recent = c(compound, daysAgo: 1), older = c(compound, daysAgo: 6.5)
        let all = [older, recent, c(other), c(compound, .publicOrder), c(compound, status: .resolved), c(compound, daysAgo: 7.5), c(compound, merged: UUID())]
        #expect(Duplicates.offered(compound: compound, category: .greening, now: now, among: all) == [recent, older])
    }

    @Test("a merge joins two open requests of one compound, once")
    func merge() {
        let a = c(compound), b = c(compound)
        #expect(Duplicates.mayMerge(a, into: b) == nil)
        #expect(Duplicates.mayMerge(a, into: a) == .same)
        #expect(Duplicates.mayMerge(a, into: c(other)) == .otherCompound)
        #expect(Duplicates.mayMerge(c(compound, merged: UUID()), into: b) == .alreadyMerged)
        #expect(Duplicates.mayMerge(a, into: c(compound, merged: UUID())) == .alreadyMerged)
        #expect(Duplicates.mayMerge(c(compound, status: .resolved), into: b) == .notOpen)
        // the one that carries on may be resolved already (its reporters then rate it), not rated or closed
        #expect(Duplicates.mayMerge(a, into: c(compound, status: .resolved)) == nil)
        #expect(Duplicates.mayMerge(a, into: c(compound, status: .rated)) == .notOpen)
    }
}

@testable import App
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit

/// The paper ballot number issued to the voter an owner belongs to.
func issuedNumber(_ app: GongzhiApp, decision: String, owner: String) async throws -> String? {
    try await app.database.db.sql().raw("""
        SELECT p.number FROM paper_ballots p JOIN decision_voters v ON v.decision_id = p.decision_id AND v.voter_key = p.voter_key
        WHERE p.decision_id = \(bind: UUID(uuidString: decision)!) AND v.owner_ids LIKE \(bind: "%" + owner + "%")
        """).first()?.decode(column: "number", as: String.self)
}

/// Records an owner's returned sheet with its issued number (as `recorder`) and has `confirmer`
/// confirm it; answers the recording's and the confirmation's statuses.
@discardableResult
func paperBallot(_ app: GongzhiApp, _ client: any TestClientProtocol, decision: String, owner: String, _ choice: [String: JSONValue],
                 recorder: String, confirmer: String) async throws -> (recorded: HTTPResponse.Status, confirmed: HTTPResponse.Status?) {
    guard let number = try await issuedNumber(app, decision: decision, owner: owner) else { return (.notFound, nil) }
    var body = choice
    body["number"] = .string(number)
    body["ownerId"] = .string(owner)
    let (recorded, _) = try await client.json(.post, "/api/v1/decisions/\(decision)/paper-ballots", .object(body), token: recorder)
    guard recorded == .created else { return (recorded, nil) }
    let (confirmed, _) = try await client.json(.post, "/api/v1/decisions/\(decision)/paper-ballots/\(number)/confirm", token: confirmer)
    return (recorded, confirmed)
}

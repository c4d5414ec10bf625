/// A request written field by field, keys in sorted order (`RequestAnswerTests` holds it to the
/// generic encoding of `encode(to:)`).
extension RequestAnswer: JSONWritable {
    func writeJSON(to w: inout JSONWriter) throws {
        w.beginObject()
        if let allowed { w.key("allowed"); try w.value(allowed) }
        w.field("buildingId", buildingId)
        w.field("category", category)
        w.field("channel", channel)
        w.field("closedAt", closedAt)
        w.field("communityId", communityId)
        if let completionPhotos { w.key("completionPhotos"); try w.value(completionPhotos) }
        w.field("compoundId", compoundId)
        w.field("compoundName", compoundName)
        w.field("description", description)
        w.field("dispatchedAt", dispatchedAt)
        w.key("handler")
        if let handler {
            w.beginObject()
            w.field("id", handler.id)
            w.field("kind", handler.kind)
            w.field("name", handler.name)
            w.endObject()
        } else {
            w.null()
        }
        w.field("hotlineOrderNo", hotlineOrderNo)
        w.field("id", id)
        w.key("latitude"); try w.double(latitude)
        w.key("longitude"); try w.double(longitude)
        w.field("number", number)
        w.key("overdue"); w.bool(overdue)
        if let photos { w.key("photos"); try w.value(photos) }
        w.field("ratedAt", ratedAt)
        w.key("rating")
        if let rating {
            w.beginObject()
            w.key("resolved"); w.bool(rating.resolved)
            w.field("satisfaction", rating.satisfaction)
            w.endObject()
        } else {
            w.null()
        }
        w.field("receivedAt", receivedAt)
        w.field("receptionId", receptionId)
        w.key("reopenCount"); w.int(reopenCount)
        w.field("reply", reply)
        w.key("reporter")
        w.beginObject()
        w.field("name", reporter.name)
        w.field("phone", reporter.phone)
        w.field("userId", reporter.userId)
        w.endObject()
        w.field("resolveBy", resolveBy)
        w.field("resolvedAt", resolvedAt)
        w.field("respondBy", respondBy)
        w.field("respondedAt", respondedAt)
        w.field("roomId", roomId)
        w.field("status", status)
        w.field("streetId", streetId)
        if let timeline { w.key("timeline"); try w.value(timeline) }
        w.field("urgency", urgency)
        w.field("whistleCaseId", whistleCaseId)
        w.endObject()
    }
}

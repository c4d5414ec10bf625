/// What a new request must say about itself and its reporter, whichever door it came through
/// (the API, the filing form, a reception, 12345, Open311).
public enum IntakeRules {
    public static let descriptionLimit = 2000
    public static let reporterNameLimit = 50
    public static let phoneLimit = 20

    /// Whether the person filing is the reporter: residents and owners file as themselves, and so
    /// does staff filing what they saw themselves (an inspection, or the web and mobile doors);
    /// a call, a hotline order or a reception is filed for someone else, who must be named.
    public static func filerIsReporter(isPerson: Bool, isResident: Bool, channel: RequestChannel) -> Bool {
        isPerson && (isResident || !channel.reporterIsContact || channel == .inspection)
    }

    /// Digits, with `+` and `-`, at most 20 characters.
    public static func isValidPhone(_ phone: String) -> Bool {
        !phone.isEmpty && phone.count <= phoneLimit && phone.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "-" || $0 == "+" }
    }

    /// The reporter's problems: someone else's request needs a name or phone; a phone must be one.
    public static func reporterErrors(filerIsReporter: Bool, name: String?, phone: String?) -> [FieldError] {
        var errors: [FieldError] = []
        if !filerIsReporter && name == nil && phone == nil {
            errors.append(FieldError(field: "reporterName", code: "required",
                                     message: "a request taken by phone, hotline or at a reception needs the caller's name or phone"))
        }
        if let phone, !isValidPhone(phone) {
            errors.append(FieldError(field: "reporterPhone", code: "invalid_format", message: "a phone number of digits"))
        }
        return errors
    }
}

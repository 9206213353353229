import Foundation
import Talang

/// The effect functions that hand codes to the session's customer when the session closes: a coupon reservation
/// and a referral code. (Talang's published library has neither; the names follow the effects they emit.)
extension EngineLanguage {
    static func registerCodes(in environment: inout Environment) {
        environment.register(
            "reserveCoupon", Signature([.value(.string)], returns: .null),
            description: "Reserves the coupon code for the session's customer profile when the session closes "
                + "(reserveCoupon, within the coupon's reservationLimit; an unknown code or a full coupon reserves "
                + "nothing); a code with isReservationMandatory is then redeemable by its holders only.",
            category: "Promotions"
        ) { arguments in
            try scope(arguments).reserveCoupon(code: try arguments.string(0))
            return .null
        }
        environment.register(
            "createReferral", Signature([], returns: .null), Signature([.value(.string)], returns: .null),
            description: "Creates a referral code of this referral campaign (code from its referral settings) with "
                + "the session's customer profile as advocate, and optionally the one friend (profile integration "
                + "id) who may use it, when the session closes; the shop gets referralCreated and the referral in "
                + "createdReferrals.",
            category: "Promotions"
        ) { arguments in
            try scope(arguments).createReferral(friend: arguments.count > 0 ? try arguments.string(0) : "")
            return .null
        }
    }
}

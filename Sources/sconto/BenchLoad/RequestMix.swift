import NIOCore

/// The Integration API traffic of `scripts/bench`: 70 % open-session updates (5-item carts of one
/// category, a coupon code in 30 %), 20 % sessions created and closed in one request, 10 % profile
/// updates. Bodies are built as text, not with JSONEncoder, so the generator stays cheap.
struct RequestMix {
    struct Request {
        var path: String
        var body: ByteBuffer
    }

    let runId: String
    let profiles: Int
    let couponCodes: [String]
    private var random: SplitMix64
    private var sequence = 0

    init(runId: String, profiles: Int, couponCodes: [String], seed: UInt64) {
        self.runId = runId
        self.profiles = max(profiles, 1)
        self.couponCodes = couponCodes
        random = SplitMix64(seed: seed)
    }

    mutating func next(connection: Int) -> Request {
        sequence += 1
        let roll = Int.random(in: 0..<100, using: &random)
        let profile = "p-\(Int.random(in: 0..<profiles, using: &random))"
        if roll < 70 {
            var coupon = ""
            if !couponCodes.isEmpty, Int.random(in: 0..<10, using: &random) < 3 {
                coupon = #","couponCodes":["\#(couponCodes.randomElement(using: &random)!)"]"#
            }
            let session = "open-\(runId)-\(connection)-\(Int.random(in: 1...5000, using: &random))"
            return Request(path: "/v2/customer_sessions/\(session)", body: ByteBuffer(string:
                #"{"customerSession":{"profileId":"\#(profile)","cartItems":\#(cart()),"attributes":{"ShippingMethod":"truck"}\#(coupon)}}"#))
        }
        if roll < 90 {
            let session = "close-\(runId)-\(connection)-\(sequence)"
            return Request(path: "/v2/customer_sessions/\(session)", body: ByteBuffer(string:
                #"{"customerSession":{"profileId":"\#(profile)","cartItems":\#(cart()),"state":"closed"}}"#))
        }
        return Request(path: "/v2/customer_profiles/\(profile)",
                       body: ByteBuffer(string: #"{"attributes":{"Name":"Customer \#(sequence)"}}"#))
    }

    /// Five items of one category (`cat-0` … `cat-9`): a tenth of the bench's campaigns match a cart.
    private mutating func cart() -> String {
        let category = Int.random(in: 0..<10, using: &random)
        let items = (1...5).map { item in
            let cents = Int.random(in: 500...12_099, using: &random)
            let price = "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
            return #"{"name":"item \#(item)","sku":"sku-\#(category)-\#(item)","quantity":\#(Int.random(in: 1...3, using: &random)),"price":\#(price),"category":"cat-\#(category)"}"#
        }
        return "[" + items.joined(separator: ",") + "]"
    }
}

/// A small, fast, seedable generator (Steele et al.'s SplitMix64): the mix is random, not secret.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import Foundation
import PromotionEngine
import Testing

let now = Date(timeIntervalSince1970: 1_800_000_000)

func shop(currency: String = "EUR") -> Application {
    Application(id: 1, accountId: 1, created: now, modified: now,
                settings: ApplicationSettings(name: "shop", timezone: "UTC", currency: currency))
}

/// The tutorial's cart: a 49 blouse and 74 trousers.
func tutorialSession(codes: [String] = ["xmas20"], profileId: String? = nil) -> CustomerSession {
    CustomerSession(
        integrationId: "s1", applicationId: 1, profileId: profileId, couponCodes: codes,
        cartItems: [
            CartItem(name: "Red Spring Blouse", sku: "rdbs-1111", quantity: 1, price: 49, category: "Shirts"),
            CartItem(name: "Denim Trousers", sku: "dtr-2222", quantity: 1, price: 74, category: "Trousers"),
        ],
        created: now, updated: now
    )
}

/// "Any valid coupon code gives 20% off the session": `couponValid` → `setDiscount(Session.Total × 0.2)`.
func twentyPercentWithCoupon(campaignId: Int64 = 10) -> CampaignProgram {
    CampaignProgram(
        campaignId: campaignId, rulesetId: 100, name: "xmas", usesCoupons: true,
        rules: [CompiledRule(
            title: "20% off",
            condition: { $0.couponValid() },
            effects: [{ scope in scope.setDiscount(name: "20% off", value: scope.remainingTotal * Decimal(string: "0.2")!) }]
        )]
    )
}

func evaluate(
    _ session: CustomerSession, campaigns: [CampaignProgram], coupons: [Coupon] = [], application: Application = shop()
) -> EvaluationOutcome {
    RuleEngine.evaluate(EvaluationInput(
        application: application, session: session, profile: nil, campaigns: campaigns, coupons: coupons, now: now
    ))
}

func discountValues(_ outcome: EvaluationOutcome) -> [Decimal] {
    outcome.effects.compactMap {
        if case .setDiscount(let discount) = $0.kind { discount.value } else { nil }
    }
}

func rejection(_ outcome: EvaluationOutcome) -> String? {
    guard let effect = outcome.effects.first(where: { $0.type == .rejectCoupon }),
          case .string(let reason)? = effect.kind.props["rejectionReason"] else { return nil }
    return reason
}

@Suite struct RuleEngineTests {
    @Test func tutorialCouponGivesTwentyPercentOf123() {
        let outcome = evaluate(tutorialSession(), campaigns: [twentyPercentWithCoupon()],
                               coupons: [Coupon(id: 7, campaignId: 10, value: "xmas20")])
        #expect(outcome.effects.map(\.type) == [.acceptCoupon, .setDiscount])
        #expect(discountValues(outcome) == [Decimal(string: "24.6")!])
        #expect(outcome.acceptedCoupons.map(\.couponId) == [7])
        #expect(outcome.effects[1].triggeredByCoupon == 7)
        #expect(outcome.effects[1].ruleName == "20% off")
    }

    @Test func unknownCodeIsCouponNotFound() {
        let outcome = evaluate(tutorialSession(codes: ["nope"]), campaigns: [twentyPercentWithCoupon()])
        #expect(rejection(outcome) == "CouponNotFound")
        #expect(discountValues(outcome).isEmpty)
        #expect(outcome.acceptedCoupons.isEmpty)
    }

    @Test func exhaustedCouponIsLimitReached() {
        let coupon = Coupon(id: 7, campaignId: 10, value: "xmas20", usageLimit: 1, usageCounter: 1)
        let outcome = evaluate(tutorialSession(), campaigns: [twentyPercentWithCoupon()], coupons: [coupon])
        #expect(rejection(outcome) == "CouponLimitReached")
        #expect(discountValues(outcome).isEmpty)
    }

    @Test func expiredAndFutureCoupons() {
        var expired = Coupon(id: 7, campaignId: 10, value: "xmas20")
        expired.expiryDate = now
        #expect(rejection(evaluate(tutorialSession(), campaigns: [twentyPercentWithCoupon()], coupons: [expired]))
            == "CouponExpired")
        var future = Coupon(id: 7, campaignId: 10, value: "xmas20")
        future.startDate = now.addingTimeInterval(60)
        #expect(rejection(evaluate(tutorialSession(), campaigns: [twentyPercentWithCoupon()], coupons: [future]))
            == "CouponStartDateInFuture")
    }

    @Test func couponForSomeoneElseIsRecipientMismatch() {
        var coupon = Coupon(id: 7, campaignId: 10, value: "xmas20")
        coupon.recipientIntegrationId = "alice"
        let outcome = evaluate(tutorialSession(profileId: "bob"), campaigns: [twentyPercentWithCoupon()],
                               coupons: [coupon])
        #expect(rejection(outcome) == "CouponRecipientDoesNotMatch")
    }

    @Test func couponOfDisabledCampaignIsNotRunning() {
        var campaign = twentyPercentWithCoupon()
        campaign.enabled = false
        let outcome = evaluate(tutorialSession(), campaigns: [campaign],
                               coupons: [Coupon(id: 7, campaignId: 10, value: "xmas20")])
        #expect(rejection(outcome) == "CouponPartOfNotRunningCampaign")
    }

    @Test func couponWhoseConditionFailsIsRejectedByCondition() {
        let campaign = CampaignProgram(
            campaignId: 10, rulesetId: 100, name: "big carts", usesCoupons: true,
            rules: [CompiledRule(title: "over 500", condition: { $0.couponValid() && $0.session.total > 500 },
                                 effects: [{ $0.setDiscount(name: "x", value: 10) }])]
        )
        let outcome = evaluate(tutorialSession(), campaigns: [campaign],
                               coupons: [Coupon(id: 7, campaignId: 10, value: "xmas20")])
        #expect(rejection(outcome) == "CouponRejectedByCondition")
        #expect(outcome.acceptedCoupons.isEmpty)
    }

    @Test func caseInsensitiveApplicationsMatchCodesInAnyCase() {
        var application = shop()
        application.settings.caseSensitivity = .insensitiveUppercase
        let outcome = evaluate(tutorialSession(codes: ["XMAS20"]), campaigns: [twentyPercentWithCoupon()],
                               coupons: [Coupon(id: 7, campaignId: 10, value: "xmas20")], application: application)
        #expect(outcome.acceptedCoupons.count == 1)
    }

    @Test func discountsNeverTakeTheTotalBelowZero() {
        let campaign = CampaignProgram(campaignId: 1, rulesetId: 1, name: "huge", rules: [
            CompiledRule(title: "200 off", condition: { _ in true },
                         effects: [{ $0.setDiscount(name: "200 off", value: 200) }]),
            CompiledRule(title: "5 more", condition: { _ in true },
                         effects: [{ $0.setDiscount(name: "5 more", value: 5) }]),
        ])
        let outcome = evaluate(tutorialSession(codes: []), campaigns: [campaign])
        #expect(discountValues(outcome) == [123, 0])
        #expect(outcome.effects[0].kind.props["desiredValue"] == .number(200))
        #expect(outcome.totalDiscount == 123)
    }

    @Test func cascadingPercentagesComputeOnWhatIsLeft() {
        // Two 10% campaigns on 100: 10 + 9 when each computes on the remaining total.
        func tenPercent(_ id: Int64) -> CampaignProgram {
            CampaignProgram(campaignId: id, rulesetId: id, name: "10%", rules: [
                CompiledRule(title: "10%", condition: { _ in true },
                             effects: [{ $0.setDiscount(name: "10%", value: $0.remainingTotal / 10) }]),
            ])
        }
        let session = CustomerSession(integrationId: "s", applicationId: 1,
                                      cartItems: [CartItem(sku: "a", quantity: 1, price: 100)], created: now, updated: now)
        #expect(discountValues(evaluate(session, campaigns: [tenPercent(1), tenPercent(2)])) == [10, 9])
    }

    @Test func discountsRoundToTheCurrencyMinorUnit() {
        let campaign = CampaignProgram(campaignId: 1, rulesetId: 1, name: "third", rules: [
            CompiledRule(title: "a third", condition: { _ in true },
                         effects: [{ $0.setDiscount(name: "third", value: $0.session.total / 3) }]),
        ])
        let session = CustomerSession(integrationId: "s", applicationId: 1,
                                      cartItems: [CartItem(sku: "a", quantity: 1, price: 100)], created: now, updated: now)
        #expect(discountValues(evaluate(session, campaigns: [campaign])) == [Decimal(string: "33.33")!])
        #expect(discountValues(evaluate(session, campaigns: [campaign], application: shop(currency: "JPY"))) == [33])
        #expect(Money.round(Decimal(string: "0.125")!, scale: 2) == Decimal(string: "0.13")!)
        #expect(Money.round(Decimal(string: "-0.125")!, scale: 2) == Decimal(string: "-0.13")!)
    }

    @Test func aRuleWhoseEffectFailsKeepsNoneOfItsEffects() {
        let campaign = CampaignProgram(campaignId: 1, rulesetId: 1, name: "broken", rules: [
            CompiledRule(title: "half applies", condition: { _ in true }, effects: [
                { $0.setDiscount(name: "first", value: 10) },
                { try $0.setDiscountPerItem(name: "missing item", value: 1, position: 99) },
            ]),
            CompiledRule(title: "fine", condition: { _ in true }, effects: [{ $0.setDiscount(name: "ok", value: 1) }]),
        ])
        let outcome = evaluate(tutorialSession(codes: []), campaigns: [campaign])
        #expect(discountValues(outcome) == [1])
    }

    /// A campaign that always gives `value` off (tutorial cart: total 123).
    func fixed(_ id: Int64, _ value: Decimal) -> CampaignProgram {
        CampaignProgram(campaignId: id, rulesetId: id, name: "c\(id)", rules: [
            CompiledRule(title: "\(value)", condition: { _ in true }, effects: [{ $0.setDiscount(name: "\(value)", value: value) }]),
        ])
    }

    func evaluateTree(_ campaigns: [CampaignProgram], tree: EvaluationGroup, codes: [String] = [], coupons: [Coupon] = [])
        -> EvaluationOutcome
    {
        RuleEngine.evaluate(EvaluationInput(
            application: shop(), session: tutorialSession(codes: codes), profile: nil, campaigns: campaigns,
            coupons: coupons, evaluationTree: tree, now: now
        ))
    }

    @Test func listOrderGroupRunsOnlyTheFirstCampaignThatTriggers() {
        let never = CampaignProgram(campaignId: 1, rulesetId: 1, name: "never", rules: [
            CompiledRule(title: "no", condition: { _ in false }, effects: [{ $0.setDiscount(name: "no", value: 1) }]),
        ])
        let tree = EvaluationGroup(id: 1, name: "root", mode: .stackable, elements: [
            .group(EvaluationGroup(id: 2, name: "exclusive", mode: .listOrder,
                                   elements: [.campaign(1), .campaign(2), .campaign(3)])),
            .campaign(4),
        ])
        let outcome = evaluateTree([never, fixed(2, 5), fixed(3, 7), fixed(4, 1)], tree: tree)
        #expect(discountValues(outcome) == [5, 1])
        #expect(outcome.triggeredCampaignIds == [2, 4])
    }

    @Test func lowestAndHighestDiscountGroupsKeepOneCampaignAndUndoTheOthers() {
        let campaigns = [fixed(1, 5), fixed(2, 9), fixed(3, 7)]
        let elements: [EvaluationGroup.Element] = [.campaign(1), .campaign(2), .campaign(3)]
        let highest = evaluateTree(campaigns, tree: EvaluationGroup(id: 1, name: "root", mode: .highestDiscount, elements: elements))
        #expect(discountValues(highest) == [9])
        #expect(highest.triggeredCampaignIds == [2])
        let lowest = evaluateTree(campaigns, tree: EvaluationGroup(id: 1, name: "root", mode: .lowestDiscount, elements: elements))
        #expect(discountValues(lowest) == [5])
        // The losers' discounts were undone: a stackable campaign after the group sees 123 − 5 left.
        let percent = CampaignProgram(campaignId: 4, rulesetId: 4, name: "all the rest", rules: [
            CompiledRule(title: "rest", condition: { _ in true },
                         effects: [{ $0.setDiscount(name: "rest", value: $0.remainingTotal) }]),
        ])
        let withRest = evaluateTree(campaigns + [percent], tree: EvaluationGroup(id: 1, name: "root", mode: .stackable, elements: [
            .group(EvaluationGroup(id: 2, name: "best", mode: .lowestDiscount, elements: elements)), .campaign(4),
        ]))
        #expect(discountValues(withRest) == [5, 118])
    }

    @Test func couponOfACampaignExclusivityKeptFromRunningIsRefusedAsNotTriggered() {
        let tree = EvaluationGroup(id: 1, name: "root", mode: .listOrder, elements: [.campaign(1), .campaign(10)])
        let outcome = evaluateTree([fixed(1, 5), twentyPercentWithCoupon()], tree: tree, codes: ["xmas20"],
                               coupons: [Coupon(id: 7, campaignId: 10, value: "xmas20")])
        #expect(discountValues(outcome) == [5])
        #expect(rejection(outcome) == "CouponPartOfNotTriggeredCampaign")
        #expect(outcome.acceptedCoupons.isEmpty)
    }

    @Test func highestDiscountDropsTheLosingCampaignsCoupon() {
        // The coupon campaign gives 24.6, the other 30: the coupon is refused, not accepted.
        let tree = EvaluationGroup(id: 1, name: "root", mode: .highestDiscount, elements: [.campaign(10), .campaign(2)])
        let outcome = evaluateTree([twentyPercentWithCoupon(), fixed(2, 30)], tree: tree, codes: ["xmas20"],
                               coupons: [Coupon(id: 7, campaignId: 10, value: "xmas20")])
        #expect(discountValues(outcome) == [30])
        #expect(outcome.acceptedCoupons.isEmpty)
        #expect(rejection(outcome) == "CouponPartOfNotTriggeredCampaign")
    }

    @Test func campaignsTheTreeDoesNotNameRunAfterItStackable() {
        let tree = EvaluationGroup(id: 1, name: "root", mode: .listOrder, elements: [.campaign(2), .campaign(3)])
        let outcome = evaluateTree([fixed(1, 1), fixed(2, 2), fixed(3, 3)], tree: tree)
        #expect(outcome.triggeredCampaignIds == [2, 1])
    }

    @Test func aCouponsDiscountLimitCapsWhatItGives() {
        var coupon = Coupon(id: 7, campaignId: 10, value: "xmas20")
        coupon.discountLimit = 30
        coupon.discountCounter = 20
        let outcome = evaluate(tutorialSession(), campaigns: [twentyPercentWithCoupon()], coupons: [coupon])
        #expect(discountValues(outcome) == [10])  // 24.6 wanted, 10 left on the coupon
        #expect(outcome.discountsByCoupon == [7: 10])
        coupon.discountCounter = 30
        #expect(rejection(evaluate(tutorialSession(), campaigns: [twentyPercentWithCoupon()], coupons: [coupon]))
                == "CouponLimitReached")
    }

    @Test func aCouponsOwnPerProfileLimit() {
        var coupon = Coupon(id: 7, campaignId: 10, value: "xmas20")
        coupon.limits = [LimitConfig(action: .redeemCoupon, limit: 2, entities: [.profile])]
        func outcome(profile: String?, used: Int) -> EvaluationOutcome {
            RuleEngine.evaluate(EvaluationInput(
                application: shop(), session: tutorialSession(profileId: profile), profile: nil,
                campaigns: [twentyPercentWithCoupon()], coupons: [coupon], profileCouponRedemptions: [7: used], now: now
            ))
        }
        #expect(outcome(profile: "ann", used: 1).acceptedCoupons.map(\.couponId) == [7])
        #expect(rejection(outcome(profile: "ann", used: 2)) == "ProfileLimitReached")
        #expect(rejection(outcome(profile: nil, used: 0)) == "ProfileRequired")
    }

    @Test func evaluableCampaignIdsRestrictTheRun() {
        let campaigns = (1...3).map { id in
            CampaignProgram(campaignId: Int64(id), rulesetId: 1, name: "c\(id)", rules: [
                CompiledRule(title: "1", condition: { _ in true }, effects: [{ $0.setDiscount(name: "1", value: 1) }]),
            ])
        }
        let outcome = RuleEngine.evaluate(EvaluationInput(
            application: shop(), session: tutorialSession(codes: []), profile: nil, campaigns: campaigns, coupons: [],
            evaluableCampaignIds: [2], now: now
        ))
        #expect(outcome.triggeredCampaignIds == [2])
    }

    @Test func campaignsOutsideTheirScheduleDoNotRun() {
        var campaign = twentyPercentWithCoupon()
        campaign.startTime = now.addingTimeInterval(3600)
        #expect(evaluate(tutorialSession(codes: []), campaigns: [campaign]).effects.isEmpty)
        campaign.startTime = nil
        campaign.endTime = now
        #expect(evaluate(tutorialSession(codes: []), campaigns: [campaign]).effects.isEmpty)
    }
}

@Suite struct SessionTests {
    @Test func totalsAddItemsAndAdditionalCosts() {
        var session = tutorialSession()
        session.additionalCosts = ["shipping": AdditionalCost(price: 5), "fees": AdditionalCost(price: Decimal(string: "3.5")!)]
        #expect(session.cartItemTotal == 123)
        #expect(session.additionalCostTotal == Decimal(string: "8.5")!)
        #expect(session.total == Decimal(string: "131.5")!)
    }

    @Test func decimalArithmeticIsExact() {
        #expect(Decimal(string: "0.1")! + Decimal(string: "0.2")! == Decimal(string: "0.3")!)
    }

    @Test func stateMachine() {
        #expect(SessionState.open.canChange(to: .closed))
        #expect(SessionState.open.canChange(to: .cancelled))
        #expect(SessionState.closed.canChange(to: .cancelled))
        #expect(!SessionState.closed.canChange(to: .open))
        #expect(!SessionState.cancelled.canChange(to: .open))
        #expect(!SessionState.cancelled.canChange(to: .closed))
    }

    @Test func updateReplacesSentFieldsAndKeepsOthers() {
        var update = SessionUpdate()
        update.couponCodes = ["new"]
        let next = update.applied(to: tutorialSession(profileId: "p1"), now: now.addingTimeInterval(1))
        #expect(next.couponCodes == ["new"])
        #expect(next.profileId == "p1")
        #expect(next.cartItems.count == 2)
        #expect(next.updateCount == 1)
    }

    @Test func negativeQuantitiesAndPricesAreRefusedWithPointers() {
        var update = SessionUpdate()
        update.cartItems = [CartItem(sku: "a", quantity: -1, price: -2)]
        let pointers = update.validate().map(\.pointer)
        #expect(pointers.contains("/customerSession/cartItems/0/quantity"))
        #expect(pointers.contains("/customerSession/cartItems/0/price"))
    }
}

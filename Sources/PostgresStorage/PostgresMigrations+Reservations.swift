/// SQLite's `v15-reservations` in PostgreSQL: coupon reservations by customer integration id and the coupon's
/// reservation counter.
extension PostgresMigrations {
    static let reservationsV5: [String] = [
        """
        CREATE TABLE coupon_reservation (
            coupon_id BIGINT NOT NULL REFERENCES coupon(id) ON DELETE CASCADE,
            application_id BIGINT NOT NULL,
            integration_id TEXT COLLATE "C" NOT NULL,
            created TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (coupon_id, integration_id)
        )
        """,
        "CREATE INDEX coupon_reservation_customer ON coupon_reservation(application_id, integration_id)",
        "ALTER TABLE coupon ADD COLUMN reservation_counter BIGINT NOT NULL DEFAULT 0",
    ]
}

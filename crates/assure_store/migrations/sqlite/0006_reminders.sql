-- Reminders: what each user has been told (so nothing is sent twice), and in-app notifications.
CREATE TABLE reminders_sent (
    event_key TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    sent_at TEXT NOT NULL,
    PRIMARY KEY (event_key, user_id)
);
CREATE INDEX reminders_sent_user_id ON reminders_sent (user_id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
    message TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX notifications_user_id ON notifications (user_id);
CREATE INDEX notifications_partnership_id ON notifications (partnership_id);

-- Replies to a meeting's invitation, one a seat: attending, remotely, apologies, or apologies
-- with a deputy (named). The attendance form offers them until the seat is marked.
CREATE TABLE meeting_replies (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    membership_id BIGINT NOT NULL REFERENCES memberships (id),
    reply TEXT NOT NULL,
    deputy TEXT,
    by_label TEXT NOT NULL,
    replied_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, membership_id)
);

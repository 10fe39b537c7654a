-- Proposals to link a channel's customer to the external id the company knows them by: an agent (or a
-- manager) who checked who the customer is, or a bot form that collected a verified identity, proposes;
-- a tenant admin accepts (the customer is linked, as POST .../customers/links does) or rejects.
-- status: PENDING, ACCEPTED or REJECTED. linked_before: the customer's external id when proposed (NULL:
-- not linked); accepting when it has changed since is refused, as the proposal was made about another link.
-- proposed_by_kind: USER (proposed_by_user is the user) or BOT (proposed_by_name is the bot's name).
-- pending_key is 1 while pending and NULL after: at most one pending proposal per customer and id (NULLs
-- never collide in the unique key), so a proposal made twice, or by two at once, is one.
CREATE TABLE customer_link_proposal (
  id               BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id        BIGINT       NOT NULL,
  customer_id      BIGINT       NOT NULL,
  external_id      VARCHAR(100) NOT NULL,
  note             VARCHAR(500) NULL,
  conversation_id  BIGINT       NOT NULL,
  linked_before    VARCHAR(100) NULL,
  proposed_by_kind VARCHAR(8)   NOT NULL,
  proposed_by_user BIGINT       NULL,
  proposed_by_name VARCHAR(100) NOT NULL,
  proposed_at      DATETIME(3)  NOT NULL,
  status           VARCHAR(8)   NOT NULL DEFAULT 'PENDING',
  decided_by       BIGINT       NULL,
  decided_at       DATETIME(3)  NULL,
  reason           VARCHAR(500) NULL,
  pending_key      TINYINT AS (IF(status = 'PENDING', 1, NULL)) PERSISTENT,
  PRIMARY KEY (id),
  UNIQUE KEY uk_link_proposal_pending (customer_id, external_id, pending_key),
  KEY ix_link_proposal_tenant_status (tenant_id, status, id),
  CONSTRAINT fk_link_proposal_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id),
  CONSTRAINT fk_link_proposal_customer FOREIGN KEY (customer_id) REFERENCES customer (id),
  CONSTRAINT fk_link_proposal_conversation FOREIGN KEY (conversation_id) REFERENCES conversation (id),
  CONSTRAINT fk_link_proposal_proposer FOREIGN KEY (proposed_by_user) REFERENCES app_user (id),
  CONSTRAINT fk_link_proposal_decider FOREIGN KEY (decided_by) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

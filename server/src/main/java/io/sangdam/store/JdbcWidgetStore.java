package io.sangdam.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sangdam.crypto.FieldCipher;
import io.sangdam.widget.Ask;
import io.sangdam.widget.PreChatAnswers;
import io.sangdam.widget.PreChatForm;
import io.sangdam.widget.WidgetSettings;
import io.sangdam.widget.WidgetStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The widgets' settings and logos ({@code center_widget}) and the pre-chat answers ({@code conversation_pre_chat}), V031. */
public final class JdbcWidgetStore implements WidgetStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};

  private final Sql sql;
  private final FieldCipher fields;

  public JdbcWidgetStore(Database db) {
    this.sql = new Sql(db);
    this.fields = db.fields();
  }

  @Override
  public Optional<WidgetSettings> settings(long centerId) {
    return sql.one("""
        SELECT title, brand_color, welcome, logo_url, logo IS NOT NULL AS has_logo, allow_transcript, form_enabled,
               ask_name, ask_contact, inquiry_types, consent_required, consent_text, consent_version
        FROM center_widget WHERE center_id = ?
        """, JdbcWidgetStore::settings, centerId);
  }

  private static WidgetSettings settings(ResultSet rs) throws SQLException {
    PreChatForm form = new PreChatForm(rs.getBoolean("form_enabled"), Ask.valueOf(rs.getString("ask_name")),
        Ask.valueOf(rs.getString("ask_contact")), names(rs.getString("inquiry_types")),
        rs.getBoolean("consent_required"), rs.getString("consent_text"), rs.getInt("consent_version"));
    return new WidgetSettings(rs.getString("title"), rs.getString("brand_color"), rs.getString("welcome"),
        rs.getString("logo_url"), rs.getBoolean("has_logo"), rs.getBoolean("allow_transcript"), form);
  }

  private static List<String> names(String column) {
    try {
      return JSON.readValue(column, NAMES);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("center_widget.inquiry_types is not a JSON array of names", e);
    }
  }

  @Override
  public void save(long tenantId, long centerId, WidgetSettings s) {
    PreChatForm f = s.form();
    String types;
    try {
      types = JSON.writeValueAsString(f.inquiryTypes());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("names always make JSON", e);
    }
    sql.update("""
        INSERT INTO center_widget (center_id, tenant_id, title, brand_color, welcome, logo_url, allow_transcript,
                                   form_enabled, ask_name, ask_contact, inquiry_types, consent_required,
                                   consent_text, consent_version)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON DUPLICATE KEY UPDATE title = VALUES(title), brand_color = VALUES(brand_color), welcome = VALUES(welcome),
          logo_url = VALUES(logo_url), allow_transcript = VALUES(allow_transcript),
          form_enabled = VALUES(form_enabled), ask_name = VALUES(ask_name), ask_contact = VALUES(ask_contact),
          inquiry_types = VALUES(inquiry_types), consent_required = VALUES(consent_required),
          consent_text = VALUES(consent_text), consent_version = VALUES(consent_version)
        """, centerId, tenantId, s.title(), s.brandColor(), s.welcome(), s.logoUrl(), s.allowTranscript(),
        f.enabled(), f.name(), f.contact(), types, f.consentRequired(), f.consentText(), f.consentVersion());
  }

  @Override
  public Optional<Logo> logo(long centerId) {
    return sql.one("SELECT logo, logo_type FROM center_widget WHERE center_id = ? AND logo IS NOT NULL",
        rs -> new Logo(rs.getBytes("logo"), rs.getString("logo_type")), centerId);
  }

  @Override
  public void saveLogo(long centerId, Logo logo) {
    sql.update("UPDATE center_widget SET logo = ?, logo_type = ? WHERE center_id = ?",
        logo == null ? null : logo.image(), logo == null ? null : logo.contentType(), centerId);
  }

  @Override
  public void saveAnswers(long tenantId, long conversationId, PreChatAnswers a, Instant at) {
    sql.update("""
        INSERT INTO conversation_pre_chat (conversation_id, tenant_id, name, contact, inquiry_type, consent_version,
                                           consent_text, consented_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, conversationId, tenantId, fields.seal(a.name()), fields.seal(a.contact()), a.inquiryType(), a.consentVersion(), a.consentText(),
        a.consentedAt(), at);
  }

  @Override
  public Optional<PreChatAnswers> answers(long conversationId) {
    return sql.one("""
        SELECT name, contact, inquiry_type, consent_version, consent_text, consented_at
        FROM conversation_pre_chat WHERE conversation_id = ?
        """, rs -> new PreChatAnswers(fields.open(rs.getString("name")), fields.open(rs.getString("contact")),
        rs.getString("inquiry_type"),
        Sql.nullableInt(rs, "consent_version"), rs.getString("consent_text"), Sql.instant(rs, "consented_at")),
        conversationId);
  }
}

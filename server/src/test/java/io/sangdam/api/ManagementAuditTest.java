package io.sangdam.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** What the audit log keeps of a management call's bodies: secrets blanked, customers' personal data masked. */
class ManagementAuditTest {
  private final ObjectMapper mapper = new ObjectMapper();

  private JsonNode withheld(String json) throws Exception {
    return ManagementAudit.withheld(mapper.readTree(json.replace('\'', '"')));
  }

  @Test
  void aCustomerLinkKeepsNeitherTheChannelsUserKeyNorTheExternalIdInClear() throws Exception {
    assertEquals(mapper.readTree("{\"channel\":\"app\",\"user\":\"k*****9\",\"externalId\":\"m*******7\"}"),
        withheld("{'channel':'app','user':'kakao-9','externalId':'member-77'}"));
  }

  @Test
  void aCustomerIsNamedByIdWithNameAndContactsMasked() throws Exception {
    JsonNode kept = withheld("{'id':7,'customer':{'id':9,'name':'홍길동','contact':'hong@example.com'},"
        + "'phone':'010-1234-5678','linkedBefore':'C-1234567','claimedBy':{'username':'kim','name':'김상담'}}");
    assertEquals(9, kept.path("customer").path("id").asInt());
    assertEquals("홍*동", kept.path("customer").path("name").asText());
    assertEquals("h***@example.com", kept.path("customer").path("contact").asText());
    assertEquals("010-****-5678", kept.path("phone").asText());
    assertEquals("C*******7", kept.path("linkedBefore").asText());
    assertEquals("김상담", kept.path("claimedBy").path("name").asText(), "staff are not the customers masked here");
  }

  @Test
  void freeTextKeepsItsWordsWithThePersonalItemsMasked() throws Exception {
    JsonNode kept = withheld("{'reason':'민원 2026-118, 회신 010-9876-5432','note':'hong@example.com 확인',"
        + "'outcomeNote':'없음'}");
    assertEquals("민원 2026-118, 회신 010-****-5432", kept.path("reason").asText());
    assertEquals("h***@example.com 확인", kept.path("note").asText());
    assertEquals("없음", kept.path("outcomeNote").asText());
  }

  @Test
  void fieldsOfTheSameNameOutsideACustomerAndSecretsAreTreatedAsBefore() throws Exception {
    JsonNode kept = withheld("{'name':'서울 센터','form':{'contact':'REQUIRED','name':'OPTIONAL'},"
        + "'bindPassword':'x','settings':{'clientSecret':'y'},'users':[{'user':'u-123456'}]}");
    assertEquals("서울 센터", kept.path("name").asText());
    assertEquals("REQUIRED", kept.path("form").path("contact").asText());
    assertEquals("OPTIONAL", kept.path("form").path("name").asText());
    assertEquals("***", kept.path("bindPassword").asText());
    assertEquals("***", kept.path("settings").path("clientSecret").asText());
    assertEquals("u******6", kept.path("users").get(0).path("user").asText(), "wherever the field is");
  }
}

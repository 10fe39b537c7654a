package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A center-only frame is refused to a user without a center before its handler runs. */
class CenterOnlyTest {
  private final Desk desk = new Desk();
  private final List<String> handled = new ArrayList<>();
  private final CenterOnly handler = new CenterOnly("waiting", (session, f, rid) -> handled.add(
      session.principal().user().username()));
  private final Fields frame = desk.frame("{\"type\":\"waiting\"}");

  @Test
  void aTenantAdminIsRefused() {
    SangdamException refused = assertThrows(SangdamException.class,
        () -> handler.handle(desk.agent(desk.park, new InMemoryOutbound()), frame, null));
    assertEquals(ErrorCode.FORBIDDEN, refused.code());
    assertEquals("waiting is for agents of a center", refused.getMessage());
    assertEquals(List.of(), handled);
  }

  @Test
  void anAgentOfACenterIsHandled() {
    handler.handle(desk.agent(desk.kim, new InMemoryOutbound()), frame, null);
    assertEquals(List.of("kim"), handled);
  }
}

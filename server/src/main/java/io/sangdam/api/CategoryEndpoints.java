package io.sangdam.api;

import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.directory.Category;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A tenant's consultation categories (대/중/소 분류): listed in scope, managed by HQ and tenant admins. */
public final class CategoryEndpoints implements Endpoints {
  private static final String CATEGORIES = "/api/tenants/{tenant}/categories";

  private final Directory directory;

  public CategoryEndpoints(Directory directory) {
    this.directory = directory;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", CATEGORIES, true, this::list),
        new Route("POST", CATEGORIES, true, this::create),
        new Route("GET", CATEGORIES + "/{category}", true, this::read),
        new Route("PUT", CATEGORIES + "/{category}", true, this::update));
  }

  private ApiResponse list(Call call) {
    return ApiResponse.ok(Paging.page(call, directory.categories(Scope.tenant(directory, call).id()).stream()
        .map(CategoryEndpoints::view).toList()));
  }

  private ApiResponse read(Call call) {
    return ApiResponse.ok(view(category(call, Scope.tenant(directory, call))));
  }

  private Category category(Call call, Tenant tenant) {
    long id = Scope.id(call, "category", "category");
    return directory.category(tenant, id).orElseThrow(() -> SangdamException.notFound("category " + id));
  }

  /** {@code {"name","parent"?}}: a top-level category, or one under {@code parent}, three levels at most. */
  private ApiResponse create(Call call) {
    Access.require(call.principal(), Permission.MANAGE_SETTINGS);
    Tenant tenant = Scope.tenant(directory, call);
    Fields body = call.body();
    String name = body.string("name", 100);
    Optional<Long> parent = body.has("parent") ? Optional.of(body.id("parent")) : Optional.empty();
    return ApiResponse.created(view(directory.createCategory(tenant, parent, name)));
  }

  /** {@code {"name"?,"enabled"?}}: rename or disable; categories are never deleted. */
  private ApiResponse update(Call call) {
    Access.require(call.principal(), Permission.MANAGE_SETTINGS);
    Category category = category(call, Scope.tenant(directory, call));
    Fields body = call.body();
    return ApiResponse.ok(view(directory.updateCategory(category, body.optString("name", 100),
        body.optBool("enabled"))));
  }

  static Map<String, Object> view(Category c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", c.id());
    out.put("parent", c.parentId());
    out.put("level", c.level());
    out.put("name", c.name());
    out.put("enabled", c.enabled());
    return out;
  }
}

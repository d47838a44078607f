import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { bearerSecurity, operationIdFor, publicSecurity, routesOf } from "./openapi";

describe("operationIdFor", () => {
  it("names an operation by its method and path, a parameter as By<Name>", () => {
    expect(operationIdFor("get", "/api/v1/videos/{videoId}/comments")).toBe("getVideosByVideoIdComments");
    expect(operationIdFor("post", "/login")).toBe("postLogin");
    expect(operationIdFor("put", "/videos/{videoId}/pinned-comment")).toBe("putVideosByVideoIdPinnedComment");
    expect(operationIdFor("delete", "/internal/jobs/{jobId}")).toBe("deleteInternalJobsByJobId");
    expect(operationIdFor("get", "/api/v1")).toBe("get");
  });

  it("gives different paths different ids", () => {
    expect(operationIdFor("get", "/videos")).not.toBe(operationIdFor("get", "/videos/{videoId}"));
    expect(operationIdFor("get", "/videos/{videoId}")).not.toBe(operationIdFor("get", "/videos/{id}"));
  });
});

describe("routesOf", () => {
  const responses = { 200: { description: "ok", content: { "application/json": { schema: z.object({}) } } } };

  it("derives the operationId unless the route names one, and keeps a public route's security: []", () => {
    const route = routesOf({ tags: ["demo"], security: bearerSecurity });
    const derived = route({ method: "get", path: "/demo/{demoId}", responses });
    expect(derived.operationId).toBe("getDemoByDemoId");
    expect(derived.security).toEqual(bearerSecurity);
    const named = route({
      method: "post",
      path: "/demo",
      operationId: "createDemo",
      security: publicSecurity,
      responses,
    });
    expect(named.operationId).toBe("createDemo");
    expect(named.security).toEqual([]);
  });
});

/**
 * An OpenAPI response for a file download. A plain JSON-schema object, not TypeBox: the type
 * provider then leaves the reply untyped, so a stream or a string can be sent as the body.
 */
export function fileResponse(contentType: string, description: string) {
  return {
    description,
    content: { [contentType]: { schema: { type: "string", format: "binary" } } },
  } as unknown as {
    readonly description: string;
  };
}

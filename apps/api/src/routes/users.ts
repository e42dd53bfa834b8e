import {
  AssigneeListSchema,
  ProblemSchema,
  UserCreateSchema,
  UserIdParamsSchema,
  UserListSchema,
  UserSchema,
  UserUpdateSchema,
} from "@certfleet/contracts";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { auditActor } from "../plugins/auth";
import { createUser, listAssignees, listUsers, updateUser } from "../services/users";

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema } as const;

const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/v1/users",
    {
      config: { access: "admin" },
      schema: {
        tags: ["users"],
        summary: "Every user account",
        response: { 200: UserListSchema, ...errors },
      },
    },
    async () => ({ items: await listUsers(app.db) }),
  );

  app.post(
    "/api/v1/users",
    {
      config: { access: "admin" },
      schema: {
        tags: ["users"],
        summary: "Create a local account (argon2id password hash)",
        body: UserCreateSchema,
        response: { 201: UserSchema, 409: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createUser(app.db, auditActor(request), request.body)),
  );

  app.patch(
    "/api/v1/users/:id",
    {
      config: { access: "admin" },
      schema: {
        tags: ["users"],
        summary:
          "Change name, role, password or disable; role, password and disable changes sign the user out",
        params: UserIdParamsSchema,
        body: UserUpdateSchema,
        response: { 200: UserSchema, 404: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request) => updateUser(app.db, auditActor(request), request.params.id, request.body),
  );

  app.get(
    "/api/v1/assignees",
    {
      config: { access: "lead" },
      schema: {
        tags: ["tasks"],
        summary: "People renewal tasks can be assigned to (operators, leads and admins)",
        response: { 200: AssigneeListSchema, ...errors },
      },
    },
    async () => ({ items: await listAssignees(app.db) }),
  );
};

export default userRoutes;

/** Users, roles and key rotation (spec §6). */
import { APIResource, configBody } from '../core/resource.js';
import type { Acknowledged, RequestOptions } from '../types/common.js';
import type {
  ConfigInput,
  CreateUserResponse,
  RoleConfig,
  RolesResponse,
  RotateKeysResponse,
  UserConfig,
  UsersResponse,
} from '../types/rbac.js';

export class RbacResource extends APIResource {
  /** `PUT /user/{name}`; YAML text or an object. The response carries the new user's keys. */
  createUser(name: string, config: ConfigInput<UserConfig>, options?: RequestOptions): Promise<CreateUserResponse> {
    return this.client.request('PUT', `user/${name}`, { ...options, ...configBody(config) });
  }

  /** `GET /user/{name}` → `{ [name]: info }`. */
  getUser(name: string, options?: RequestOptions): Promise<UsersResponse> {
    return this.client.request('GET', `user/${name}`, options);
  }

  /** `PATCH /user/{name}`. */
  updateUser(name: string, config: ConfigInput<UserConfig>, options?: RequestOptions): Promise<UsersResponse> {
    return this.client.request('PATCH', `user/${name}`, { ...options, ...configBody(config) });
  }

  /** `DELETE /user/{name}`. */
  deleteUser(name: string, options?: RequestOptions): Promise<Acknowledged> {
    return this.client.request('DELETE', `user/${name}`, options);
  }

  /** `GET /users` → object keyed by user name. */
  listUsers(options?: RequestOptions): Promise<UsersResponse> {
    return this.client.request('GET', 'users', options);
  }

  /** `PUT /role/{name}`. */
  createRole(name: string, config: ConfigInput<RoleConfig>, options?: RequestOptions): Promise<Acknowledged> {
    return this.client.request('PUT', `role/${name}`, { ...options, ...configBody(config) });
  }

  /** `GET /role/{name}` → `{ [name]: role }`. */
  getRole(name: string, options?: RequestOptions): Promise<RolesResponse> {
    return this.client.request('GET', `role/${name}`, options);
  }

  /** `PATCH /role/{name}`. */
  updateRole(name: string, config: ConfigInput<RoleConfig>, options?: RequestOptions): Promise<RolesResponse> {
    return this.client.request('PATCH', `role/${name}`, { ...options, ...configBody(config) });
  }

  /** `DELETE /role/{name}`. */
  deleteRole(name: string, options?: RequestOptions): Promise<Acknowledged> {
    return this.client.request('DELETE', `role/${name}`, options);
  }

  /** `GET /roles` → object keyed by role name. */
  listRoles(options?: RequestOptions): Promise<RolesResponse> {
    return this.client.request('GET', 'roles', options);
  }

  /** `PATCH /user/{username}/keys` (no body) → new key pair; the old pair stops working. */
  rotateKeys(username: string, options?: RequestOptions): Promise<RotateKeysResponse> {
    return this.client.request('PATCH', `user/${username}/keys`, options);
  }
}

/** Users & roles (spec §6). */

/** A config is YAML text (sent as `application/yaml`) or an object (sent as JSON). */
export type ConfigInput<T> = string | T;

export interface UserConfig {
  Version?: string;
  Password?: string;
  Roles?: string[];
  [key: string]: unknown;
}

export interface Permission {
  Effect?: 'Allow' | 'Deny';
  ResourceType: 'metadata' | 'dataset' | 'record' | 'field' | 'notifications' | (string & {});
  Actions: string[];
  Resources: string[];
  Fields?: {
    Allow?: string[];
    Deny?: string[];
    Mask?: Record<string, 'redact' | 'remove'>;
  };
}

export interface RoleConfig {
  Version?: string;
  Permissions?: Permission[];
  [key: string]: unknown;
}

export interface CreateUserResponse {
  status?: string;
  message?: string;
  account_id?: string;
  access_key?: string;
  secret_key?: string;
  username?: string;
  [key: string]: unknown;
}

export interface UserInfo {
  Version?: string;
  Roles?: string[];
  account_id?: string;
  [key: string]: unknown;
}

/** Keyed by user name. */
export type UsersResponse = Record<string, UserInfo>;
/** Keyed by role name. */
export type RolesResponse = Record<string, RoleConfig>;

export interface RotateKeysResponse {
  access_key: string;
  secret_key: string;
  [key: string]: unknown;
}

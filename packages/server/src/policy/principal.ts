/** Who is calling. Every authenticated request carries one into the handlers. */
export interface Principal {
  user: string;
  roles: string[];
  accessKey: string;
}

export type DatasetAction = 'read' | 'write' | 'manage';

/** metav1.Status answers, shaped like the real API server's so client code parses them the same way. */

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] };
  code: number;
}

/** Thrown inside the fixture; the HTTP layer turns it into a Status response. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusBody['details'],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): StatusBody {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export interface ResourceName {
  /** e.g. `tenants.solarcrm.io` or `secrets` (core group) */
  qualified: string;
  group: string;
  kind: string;
}

export const notFound = (r: ResourceName, name: string) =>
  new ApiError(404, 'NotFound', `${r.qualified} "${name}" not found`, {
    name,
    group: r.group,
    kind: r.qualified.split('.')[0],
  });

export const alreadyExists = (r: ResourceName, name: string) =>
  new ApiError(409, 'AlreadyExists', `${r.qualified} "${name}" already exists`, {
    name,
    group: r.group,
    kind: r.qualified.split('.')[0],
  });

export const conflict = (r: ResourceName, name: string) =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${r.qualified} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: r.group, kind: r.qualified.split('.')[0] },
  );

export const invalid = (r: ResourceName, name: string, causes: StatusCause[]) => {
  const lines = causes.map((c) => `${c.field}: ${c.message}`);
  const joined = lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${r.kind}.${r.group || 'core'} "${name}" is invalid: ${joined}`, {
    name,
    group: r.group,
    kind: r.kind,
    causes,
  });
};

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

export const expired = (message: string) => new ApiError(410, 'Expired', message);

/**
 * Builders for Swagger 1.1 API declarations in the shape ari-client's swagger-client 2.0
 * reads: `resources.json` lists the resource documents; each has `basePath` (absolute,
 * from the request's Host header, as Asterisk builds it), `apis[].operations[]` with a
 * `nickname` (the method name ari-client exposes), `responseClass` (which ari-client uses
 * to promote results to Channel, Bridge… objects) and `parameters`.
 */
export type ParamType = 'path' | 'query' | 'body';

export interface Param {
  name: string;
  paramType: ParamType;
  dataType: string;
  required: boolean;
  allowMultiple: boolean;
  description: string;
}

export interface Operation {
  httpMethod: string;
  nickname: string;
  summary: string;
  responseClass: string;
  parameters: Param[];
}

export interface Api { path: string; description: string; operations: Operation[] }

export type ModelProps = Record<string, { type: string; required?: boolean; description?: string }>;
export interface Model { id: string; description: string; properties: ModelProps; subTypes?: string[]; extends?: string }

/** A path parameter (always required). */
export const path = (name: string): Param => ({ name, paramType: 'path', dataType: 'string', required: true, allowMultiple: false, description: name });
/** A query parameter: `q('media', 'string', { required: true, multi: true })`. */
export const q = (name: string, dataType = 'string', o: { required?: boolean; multi?: boolean } = {}): Param => ({
  name, paramType: 'query', dataType, required: o.required ?? false, allowMultiple: o.multi ?? false, description: name,
});
export const body = (name: string, dataType = 'containers'): Param => ({
  name, paramType: 'body', dataType, required: false, allowMultiple: false, description: name,
});

export const op = (httpMethod: string, nickname: string, responseClass: string, parameters: Param[] = []): Operation => ({
  httpMethod, nickname, summary: nickname, responseClass, parameters,
});

export const api = (p: string, ...operations: Operation[]): Api => ({ path: p, description: p, operations });

export interface ResourceDoc { name: string; apis: Api[]; models: Record<string, Model> }

export function declaration(doc: ResourceDoc, basePath: string): Record<string, unknown> {
  return {
    apiVersion: '13.0.0',
    swaggerVersion: '1.1',
    basePath,
    resourcePath: `/api-docs/${doc.name}.{format}`,
    apis: doc.apis,
    models: doc.models,
  };
}

export function resourceListing(names: readonly string[], basePath: string): Record<string, unknown> {
  return {
    apiVersion: '13.0.0',
    swaggerVersion: '1.1',
    basePath,
    apis: names.map((n) => ({ path: `/api-docs/${n}.{format}`, description: n })),
  };
}

/** A model whose properties are all plain strings unless typed otherwise. */
export function model(id: string, props: Record<string, string>): Model {
  const properties: ModelProps = {};
  for (const [k, t] of Object.entries(props)) properties[k] = { type: t, required: false };
  return { id, description: id, properties };
}

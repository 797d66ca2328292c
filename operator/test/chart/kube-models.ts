import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import {
  ClusterRole,
  ClusterRoleBinding,
  Role,
  RoleBinding,
} from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import type { Manifest } from './render.js';

type Validator = (obj: Manifest) => void;
const use =
  <T extends { validate(): void }>(Model: new (data: never) => T): Validator =>
  (obj) =>
    new Model(obj as never).validate();

/** apiVersion/kind → the Kubernetes OpenAPI schema check from kubernetes-models 4.5.1. */
export const validators: Record<string, Validator> = {
  'apps/v1/Deployment': use(Deployment),
  'v1/Service': use(Service),
  'v1/ServiceAccount': use(ServiceAccount),
  'v1/Secret': use(Secret),
  'autoscaling/v2/HorizontalPodAutoscaler': use(HorizontalPodAutoscaler),
  'policy/v1/PodDisruptionBudget': use(PodDisruptionBudget),
  'networking.k8s.io/v1/Ingress': use(Ingress),
  'networking.k8s.io/v1/NetworkPolicy': use(NetworkPolicy),
  'rbac.authorization.k8s.io/v1/ClusterRole': use(ClusterRole),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': use(ClusterRoleBinding),
  'rbac.authorization.k8s.io/v1/Role': use(Role),
  'rbac.authorization.k8s.io/v1/RoleBinding': use(RoleBinding),
  'apiextensions.k8s.io/v1/CustomResourceDefinition': use(CustomResourceDefinition),
};

export const validatorFor = (m: Manifest): Validator | undefined => validators[`${m.apiVersion}/${m.kind}`];

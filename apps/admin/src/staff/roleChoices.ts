export const ROLE_CHOICES = [
  { id: 'agent', name: 'twofold.roles.agent' },
  { id: 'supervisor', name: 'twofold.roles.supervisor' },
  { id: 'admin', name: 'twofold.roles.admin' },
];

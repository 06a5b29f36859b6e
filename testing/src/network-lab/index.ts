export * from './impairments.ts';
export * from './lab-node.ts';
export * from './network-lab.ts';
export * from './node-processes.ts';

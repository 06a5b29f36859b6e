import { hostname } from 'node:os';
import { getContainerRuntimeClient } from 'testcontainers';

/** Labels on every container of a stack: which stack, and which process on which machine must remove it. */
export const stackLabel = 'io.groupcall.stack';
export const ownerPidLabel = 'io.groupcall.owner-pid';
export const ownerHostLabel = 'io.groupcall.owner-host';

/** The labels of a container started by this process: removed as an orphan once the process is gone. */
export function ownerLabels(): Record<string, string> {
  return { [ownerPidLabel]: String(process.pid), [ownerHostLabel]: hostname() };
}

/** The labels of a container of stack `stackId` started by this process. */
export function stackLabels(stackId: string): Record<string, string> {
  return { [stackLabel]: stackId, ...ownerLabels() };
}

/**
 * Removes the containers of stacks whose process on this machine is gone
 * (killed before it could stop them), so no Ryuk is needed for that. Stacks of
 * running processes, and of other machines sharing the Docker daemon, are left alone.
 * Returns how many it removed.
 */
export async function removeOrphanedStacks(): Promise<number> {
  const orphans = (await listContainers(`${ownerHostLabel}=${hostname()}`)).filter(
    (info) => !processAlive(Number(info.Labels[ownerPidLabel])),
  );
  await removeContainers(orphans.map((info) => info.Id));
  return orphans.length;
}

/** Removes containers (ids or names), running or not; ones already gone are ignored. */
export async function removeContainers(ids: string[]): Promise<void> {
  const client = await getContainerRuntimeClient();
  await Promise.allSettled(ids.map((id) => client.container.getById(id).remove({ force: true, v: true })));
}

interface ListedContainer {
  Id: string;
  Labels: Record<string, string>;
}

/**
 * Containers with `label` (name=value), running or not. testcontainers'
 * own list() has running ones only, so this asks its Docker client (dockerode).
 */
async function listContainers(label: string): Promise<ListedContainer[]> {
  const client = await getContainerRuntimeClient();
  const docker = (client.container as unknown as { dockerode: DockerList }).dockerode;
  return docker.listContainers({ all: true, filters: { label: [label] } });
}

interface DockerList {
  listContainers(options: { all: boolean; filters: Record<string, string[]> }): Promise<ListedContainer[]>;
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

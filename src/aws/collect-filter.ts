/**
 * --lb / --tag in a live collection: right after the load-balancer listings, keep only the
 * chosen load balancers (and the target groups that serve them), so nothing is described
 * for the others. --tag needs the tags first: elbv2 and Classic tags come from DescribeTags,
 * not from the listings, so those of the name-matched load balancers are read here and
 * handed on (the later steps do not read them again).
 */
import { filterText, matchesNames, matchesTags, servesChosen, tagsUnknownEntry, type LoadBalancerFilter } from '../engine/lb-filter.js';
import type { Progress } from '../progress.js';
import { classicLoadBalancerArn, classicTagsOf, type ClassicListing } from './collect-classic.js';
import { elbv2TagsOf, type Elbv2Listing } from './collect-elbv2.js';
import type { ScopeRun } from './scope-run.js';
import { plural } from '../words.js';

export interface ChosenListings {
  elbv2: Elbv2Listing;
  classic: ClassicListing;
}

export async function chooseLoadBalancers(
  run: ScopeRun,
  listings: ChosenListings,
  filter: LoadBalancerFilter,
  progress: Progress,
): Promise<ChosenListings> {
  const classicArn = (name: string) => classicLoadBalancerArn(run.region, run.account, name);
  const elbv2ByName = listings.elbv2.loadBalancers.filter((lb) => matchesNames(filter, { arn: lb.LoadBalancerArn ?? '', name: lb.LoadBalancerName ?? '' }));
  const classicByName = listings.classic.loadBalancers.filter((lb) => matchesNames(filter, { arn: classicArn(lb.LoadBalancerName ?? ''), name: lb.LoadBalancerName ?? '' }));

  const needTags = filter.tags.length > 0;
  const [elbv2Tags, classicTags] = needTags
    ? await Promise.all([
        elbv2TagsOf(run, elbv2ByName.flatMap((lb) => (lb.LoadBalancerArn ? [lb.LoadBalancerArn] : []))),
        classicTagsOf(run, classicByName.flatMap((lb) => (lb.LoadBalancerName ? [lb.LoadBalancerName] : []))),
      ])
    : [undefined, undefined];
  const unknown: string[] = [];
  /** --tag on tags read (a failed DescribeTags batch leaves them unknown: not audited, and said so). */
  const tagged = (name: string, tags: Record<string, string> | undefined): boolean => {
    if (!needTags) return true;
    if (tags === undefined) unknown.push(name);
    return tags !== undefined && matchesTags(filter, tags);
  };
  const elbv2 = elbv2ByName.filter((lb) => tagged(lb.LoadBalancerName ?? '', elbv2Tags?.get(lb.LoadBalancerArn ?? '')));
  const classic = classicByName.filter((lb) => tagged(lb.LoadBalancerName ?? '', classicTags?.get(lb.LoadBalancerName ?? '')));
  if (unknown.length) run.notChecked.push(tagsUnknownEntry(unknown, run));

  const chosenArns = new Set(elbv2.flatMap((lb) => (lb.LoadBalancerArn ? [lb.LoadBalancerArn] : [])));
  const listed = listings.elbv2.loadBalancers.length + listings.classic.loadBalancers.length;
  progress.step(`${run.region}: ${filterText(filter)} chose ${elbv2.length + classic.length} of ${plural(listed, 'load balancer')}`);
  return {
    elbv2: {
      ...listings.elbv2,
      loadBalancers: elbv2,
      targetGroups: listings.elbv2.targetGroups.filter((group) => servesChosen({ loadBalancerArns: group.LoadBalancerArns ?? [] }, chosenArns)),
      ...(elbv2Tags && { tags: elbv2Tags }),
    },
    classic: { ...listings.classic, loadBalancers: classic, ...(classicTags && { tags: classicTags }) },
  };
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EventPattern,
  EventPatternError,
  matches,
  validatePattern,
} from '../../infra/local/pattern-matcher.js';

/**
 * The matcher is checked against the examples of AWS's own documentation. Each group names the page its
 * examples come from; events that the page does not spell out are the smallest ones that exercise the example
 * (and are marked "ours"). Pages:
 * - EP:  Amazon EventBridge event patterns, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * - FV:  Matching events on event field values, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-filtering-data-types.html
 * - NUL: Matching null values and empty strings, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
 * - ARR: Arrays in event patterns, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 * - CF:  Content filtering in event patterns, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 * - OPS: Comparison operators for use in event patterns, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * - RUL: Event Ruler README (the matching library behind EventBridge), https://github.com/aws/event-ruler/blob/main/README.md
 * - UN:  AWS User Notifications, filtering with customized JSON event patterns, https://docs.aws.amazon.com/notifications/latest/userguide/common-usecases.html
 * - WC:  AWS Compute Blog, Filtering events in Amazon EventBridge with wildcard pattern matching, https://aws.amazon.com/blogs/compute/filtering-events-in-amazon-eventbridge-with-wildcard-pattern-matching/
 */

/** The EC2 state-change event of EP. */
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

/** The sample event of RUL, also used by CF's numeric and complex examples. */
const rulerEvent = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

/** `rulerEvent` with some of its detail fields replaced. */
const withDetail = (detail: Record<string, unknown>) => ({
  ...rulerEvent,
  detail: { ...rulerEvent.detail, ...detail },
});

/** An event with one top-level field (ours: the smallest event for a one-field example). */
const field = (name: string, value: unknown) => ({ [name]: value });

describe('event patterns: structure (EP, FV)', () => {
  it('matches the EC2 termination event with the documented pattern, and not the same event in another state', () => {
    // Prepare
    const pattern: EventPattern = {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    };
    const running = { ...ec2Event, detail: { ...ec2Event.detail, state: 'running' } };

    // Act
    const terminatedMatches = matches(pattern, ec2Event);
    const runningMatches = matches(pattern, running);

    // Assess
    expect(terminatedMatches).toBe(true);
    expect(runningMatches).toBe(false);
  });

  it('needs the pattern fields at the same nesting in the event: a top-level state does not match detail.state', () => {
    // Prepare
    const pattern: EventPattern = { detail: { state: ['terminated'] } };
    const flat = { source: 'aws.ec2', state: 'terminated', detail: { 'instance-id': 'i-1' } };

    // Act
    const result = matches(pattern, flat);

    // Assess
    expect(result).toBe(false);
  });

  it('matches any of the values listed for a field: aws.ec2 or aws.fargate', () => {
    // Prepare
    const pattern: EventPattern = { source: ['aws.ec2', 'aws.fargate'] };

    // Act
    const fargate = matches(pattern, field('source', 'aws.fargate'));
    const ec2 = matches(pattern, field('source', 'aws.ec2'));
    const lambda = matches(pattern, field('source', 'aws.lambda'));

    // Assess
    expect([fargate, ec2, lambda]).toEqual([true, true, false]);
  });

  it('matches the Auto Scaling event on a null responseElements, and not when it has a value', () => {
    // Prepare
    const event = {
      version: '0',
      id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
      'detail-type': 'EC2 Instance Launch Successful',
      source: 'aws.autoscaling',
      account: '123456789012',
      time: '2015-11-11T21:31:47Z',
      region: 'us-east-1',
      resources: [],
      detail: { eventVersion: '', responseElements: null },
    };
    const pattern: EventPattern = {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful'],
      detail: { responseElements: [null] },
    };
    const withElements = { ...event, detail: { eventVersion: '', responseElements: { id: 'x' } } };

    // Act
    const nullMatches = matches(pattern, event);
    const objectMatches = matches(pattern, withElements);

    // Assess
    expect(nullMatches).toBe(true);
    expect(objectMatches).toBe(false);
  });

  it('matches the Macie alert on a risk score of 80 and a nested trigger risk of 8, and not on a risk of 7', () => {
    // Prepare
    const alert = {
      'detail-type': 'Macie Alert',
      source: 'aws.macie',
      detail: {
        'notification-type': 'ALERT_CREATED',
        name: 'Scanning bucket policies',
        tags: ['Custom_Alert', 'Insider'],
        'risk-score': 80,
        trigger: { 'alert-type': 'basic', risk: 8 },
      },
    };
    const pattern: EventPattern = {
      source: ['aws.macie'],
      'detail-type': ['Macie Alert'],
      detail: { 'risk-score': [80], trigger: { risk: [8] } },
    };
    const lowerRisk = { ...alert, detail: { ...alert.detail, trigger: { 'alert-type': 'basic', risk: 7 } } };

    // Act
    const alertMatches = matches(pattern, alert);
    const lowerMatches = matches(pattern, lowerRisk);

    // Assess
    expect(alertMatches).toBe(true);
    expect(lowerMatches).toBe(false);
  });

  it('compares numbers as numbers: 80 in a pattern matches 80.0 and 8e1 in the event text', () => {
    // Prepare
    const pattern: EventPattern = { detail: { 'risk-score': [80] } };
    const written = [
      '{"detail":{"risk-score":80.0}}',
      '{"detail":{"risk-score":8e1}}',
      '{"detail":{"risk-score":"80"}}',
    ];

    // Act
    const results = written.map((json) => matches(pattern, JSON.parse(json)));

    // Assess
    expect(results).toEqual([true, true, false]);
  });
});

describe('null values and empty strings (NUL)', () => {
  const event = { detail: { eventVersion: '', responseElements: null } };

  it('matches an empty string with [""] and a null with [null]', () => {
    // Prepare
    const emptyPattern: EventPattern = { detail: { eventVersion: [''] } };
    const nullPattern: EventPattern = { detail: { responseElements: [null] } };

    // Act
    const empty = matches(emptyPattern, event);
    const nul = matches(nullPattern, event);

    // Assess
    expect(empty).toBe(true);
    expect(nul).toBe(true);
  });

  it('does not treat null and the empty string as interchangeable', () => {
    // Prepare
    const emptyOnNull: EventPattern = { detail: { responseElements: [''] } };
    const nullOnEmpty: EventPattern = { detail: { eventVersion: [null] } };

    // Act
    const a = matches(emptyOnNull, event);
    const b = matches(nullOnEmpty, event);

    // Assess
    expect(a).toBe(false);
    expect(b).toBe(false);
  });
});

describe('arrays in events (ARR, RUL)', () => {
  it('matches when the pattern array and the event array share an element', () => {
    // Prepare
    const pattern: EventPattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    };
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    const disjoint = { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] };

    // Act
    const shared = matches(pattern, event);
    const none = matches(pattern, disjoint);

    // Assess
    expect(shared).toBe(true);
    expect(none).toBe(false);
  });

  it('matches an empty event array with nothing but exists false', () => {
    // Prepare (ours)
    const event = { resources: [] };

    // Act
    const anyValue = matches({ resources: [{ 'anything-but': 'x' }] }, event);
    const absent = matches({ resources: [{ exists: false }] }, event);

    // Assess
    expect(anyValue).toBe(false);
    expect(absent).toBe(true);
  });

  it('matches a nested pattern inside one element of an array of objects (RUL employees)', () => {
    // Prepare
    const employees = [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ];
    const pattern: EventPattern = { employees: { firstName: ['Anna'] } };

    // Act
    const flat = matches(pattern, { employees });
    const nested = matches(pattern, { employees: [employees.slice(0, 2), employees.slice(2)] });
    const absent = matches(pattern, { employees: [employees[0], employees[2]] });

    // Assess
    expect(flat).toBe(true);
    expect(nested).toBe(true);
    expect(absent).toBe(false);
  });

  it('never matches fields taken from different elements of the same array (Anna Jones is nobody)', () => {
    // Prepare
    const event = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };
    const annaJones: EventPattern = { employees: { firstName: ['Anna'], lastName: ['Jones'] } };
    const annaSmith: EventPattern = { employees: { firstName: ['Anna'], lastName: ['Smith'] } };

    // Act
    const crossed = matches(annaJones, event);
    const same = matches(annaSmith, event);

    // Assess
    expect(crossed).toBe(false);
    expect(same).toBe(true);
  });

  it('matches the simple Ruler rule, whose resources and state lists meet the event', () => {
    // Prepare
    const pattern: EventPattern = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
      detail: { state: ['initializing', 'running'] },
    };

    // Act
    const running = matches(pattern, rulerEvent);
    const stopped = matches(pattern, withDetail({ state: 'stopped' }));

    // Assess
    expect(running).toBe(true);
    expect(stopped).toBe(false);
  });
});

describe('prefix and suffix (CF, OPS, RUL)', () => {
  it('matches a time that starts with 2017-10-02, and not another day', () => {
    // Prepare
    const pattern: EventPattern = { time: [{ prefix: '2017-10-02' }] };

    // Act
    const sameDay = matches(pattern, field('time', '2017-10-02T18:43:48Z'));
    const nextDay = matches(pattern, field('time', '2017-10-03T00:00:00Z'));

    // Assess
    expect(sameDay).toBe(true);
    expect(nextDay).toBe(false);
  });

  it('applies prefix and suffix to string values only: "10" is not a prefix of the number 100', () => {
    // Prepare (ours: the page says prefix and suffix matching work on string values)
    const prefix: EventPattern = { n: [{ prefix: '10' }] };
    const suffix: EventPattern = { n: [{ suffix: '00' }] };

    // Act
    const results = [
      matches(prefix, field('n', 100)),
      matches(prefix, field('n', '100')),
      matches(suffix, field('n', 100)),
      matches(suffix, field('n', '100')),
    ];

    // Assess
    expect(results).toEqual([false, true, false, true]);
  });

  it('matches Auto Scaling events from European regions with the eu- prefix', () => {
    // Prepare (https://docs.aws.amazon.com/eventbridge/latest/userguide/content-filtering-with-event-patterns.html)
    const pattern: EventPattern = { source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] };

    // Act
    const europe = matches(pattern, { source: 'aws.autoscaling', region: 'eu-west-1' });
    const us = matches(pattern, { source: 'aws.autoscaling', region: 'us-east-1' });

    // Assess
    expect(europe).toBe(true);
    expect(us).toBe(false);
  });

  it('matches a service starting with EventB in any casing with prefix equals-ignore-case', () => {
    // Prepare
    const pattern: EventPattern = { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] };

    // Act
    const results = ['EventBridge', 'EVENTBRIDGE', 'eventbridge', 'Lambda', 'MyEventBridge'].map((s) =>
      matches(pattern, field('service', s)),
    );

    // Assess
    expect(results).toEqual([true, true, true, false, false]);
  });

  it('matches a FileName ending with .png, and not one ending with .PNG or .jpg', () => {
    // Prepare
    const pattern: EventPattern = { FileName: [{ suffix: '.png' }] };

    // Act
    const results = ['image.png', 'image.PNG', 'image.jpg'].map((s) =>
      matches(pattern, field('FileName', s)),
    );

    // Assess
    expect(results).toEqual([true, false, false]);
  });

  it('matches a service ending with tBridge in any casing with suffix equals-ignore-case', () => {
    // Prepare
    const pattern: EventPattern = { service: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] };

    // Act
    const results = ['EventBridge', 'EVENTBRIDGE', 'eventbridge', 'EventBus'].map((s) =>
      matches(pattern, field('service', s)),
    );

    // Assess
    expect(results).toEqual([true, true, true, false]);
  });

  it('matches the Ruler sample event by a source ending with ec2', () => {
    // Prepare
    const pattern: EventPattern = { source: [{ suffix: 'ec2' }] };

    // Act
    const ec2 = matches(pattern, rulerEvent);
    const s3 = matches(pattern, { ...rulerEvent, source: 'aws.s3' });

    // Assess
    expect(ec2).toBe(true);
    expect(s3).toBe(false);
  });

  it('matches a region in the US with "Begins with" us-', () => {
    // Prepare
    const pattern: EventPattern = { Region: [{ prefix: 'us-' }] };

    // Act
    const us = matches(pattern, field('Region', 'us-east-1'));
    const eu = matches(pattern, field('Region', 'eu-west-1'));

    // Assess
    expect(us).toBe(true);
    expect(eu).toBe(false);
  });
});

describe('equals-ignore-case (OPS, RUL)', () => {
  it('matches the name Alice written in any casing, and not another name', () => {
    // Prepare
    const pattern: EventPattern = { Name: [{ 'equals-ignore-case': 'alice' }] };

    // Act
    const results = ['Alice', 'ALICE', 'alice', 'Alicia'].map((s) => matches(pattern, field('Name', s)));

    // Assess
    expect(results).toEqual([true, true, true, false]);
  });

  it('matches the Ruler sample event whose source is aws.ec2 only when the whole value is EC2 ignoring case', () => {
    // Prepare
    const pattern: EventPattern = { source: [{ 'equals-ignore-case': 'EC2' }] };

    // Act
    const ec2 = matches(pattern, { source: 'ec2' });
    const awsEc2 = matches(pattern, rulerEvent);

    // Assess
    expect(ec2).toBe(true);
    expect(awsEc2).toBe(false);
  });

  it('tells exact Equals from ignore-case: Name is "Alice" does not match "alice"', () => {
    // Prepare
    const pattern: EventPattern = { Name: ['Alice'] };

    // Act
    const exact = matches(pattern, field('Name', 'Alice'));
    const lower = matches(pattern, field('Name', 'alice'));

    // Assess
    expect(exact).toBe(true);
    expect(lower).toBe(false);
  });
});

describe('anything-but (CF, OPS, RUL)', () => {
  it('matches any state but initializing', () => {
    // Prepare
    const pattern: EventPattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };

    // Act
    const running = matches(pattern, rulerEvent);
    const initializing = matches(pattern, withDetail({ state: 'initializing' }));

    // Assess
    expect(running).toBe(true);
    expect(initializing).toBe(false);
  });

  it('matches any x-limit but 123', () => {
    // Prepare
    const pattern: EventPattern = { detail: { 'x-limit': [{ 'anything-but': 123 }] } };

    // Act
    const other = matches(pattern, rulerEvent);
    const excluded = matches(pattern, withDetail({ 'x-limit': 123 }));

    // Assess
    expect(other).toBe(true);
    expect(excluded).toBe(false);
  });

  it('matches any state outside the list stopped, overloaded', () => {
    // Prepare
    const pattern: EventPattern = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };

    // Act
    const results = ['running', 'stopped', 'overloaded'].map((state) =>
      matches(pattern, withDetail({ state })),
    );

    // Assess
    expect(results).toEqual([true, false, false]);
  });

  it('matches any x-limit outside the list 100, 200, 300', () => {
    // Prepare
    const pattern: EventPattern = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };

    // Act
    const results = [301.8, 100, 200, 300].map((x) => matches(pattern, withDetail({ 'x-limit': x })));

    // Assess
    expect(results).toEqual([true, false, false, false]);
  });

  it('matches any state that does not start with init', () => {
    // Prepare
    const pattern: EventPattern = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };

    // Act
    const results = ['running', 'initializing', 'init'].map((state) =>
      matches(pattern, withDetail({ state })),
    );

    // Assess
    expect(results).toEqual([true, false, false]);
  });

  it('matches values of other types with anything-but, which excludes only what it names', () => {
    // Prepare (ours: "matches anything except what's provided in the rule")
    const notPrefix: EventPattern = { state: [{ 'anything-but': { prefix: 'init' } }] };
    const notString: EventPattern = { state: [{ 'anything-but': 'initializing' }] };
    const notNumber: EventPattern = { state: [{ 'anything-but': 123 }] };

    // Act
    const results = [
      matches(notPrefix, field('state', 5)),
      matches(notPrefix, field('state', null)),
      matches(notString, field('state', 123)),
      matches(notNumber, field('state', '123')),
    ];

    // Assess
    expect(results).toEqual([true, true, true, true]);
  });

  it('matches a Region that is not in the US (anything-but begins with us-)', () => {
    // Prepare
    const pattern: EventPattern = { Region: [{ 'anything-but': { prefix: 'us-' } }] };

    // Act
    const eu = matches(pattern, field('Region', 'eu-west-1'));
    const us = matches(pattern, field('Region', 'us-east-1'));

    // Assess
    expect(eu).toBe(true);
    expect(us).toBe(false);
  });

  it('matches a FileName that does not end with .png (anything-but ends with)', () => {
    // Prepare
    const pattern: EventPattern = { FileName: [{ 'anything-but': { suffix: '.png' } }] };

    // Act
    const jpg = matches(pattern, field('FileName', 'photo.jpg'));
    const png = matches(pattern, field('FileName', 'photo.png'));

    // Assess
    expect(jpg).toBe(true);
    expect(png).toBe(false);
  });

  it('matches any state besides initializing in any casing (anything-but ignore case)', () => {
    // Prepare
    const pattern: EventPattern = { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] };

    // Act
    const results = ['running', 'initializing', 'INITIALIZING', 'Initializing'].map((s) =>
      matches(pattern, field('state', s)),
    );

    // Assess
    expect(results).toEqual([true, false, false, false]);
  });

  it('matches any state outside a list compared ignoring case', () => {
    // Prepare (ours: the list form of anything-but equals-ignore-case)
    const pattern: EventPattern = {
      state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }],
    };

    // Act
    const results = ['running', 'STOPPED', 'Initializing'].map((s) => matches(pattern, field('state', s)));

    // Assess
    expect(results).toEqual([true, false, false]);
  });

  it('matches a FilePath that does not include /lib/ (anything-but using a wildcard)', () => {
    // Prepare
    const pattern: EventPattern = { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] };

    // Act
    const src = matches(pattern, field('FilePath', 'dir/src/main.ts'));
    const lib = matches(pattern, field('FilePath', 'dir/lib/main.ts'));

    // Assess
    expect(src).toBe(true);
    expect(lib).toBe(false);
  });

  it('matches Weather that is anything but Raining ("Not"), and never an absent field', () => {
    // Prepare
    const pattern: EventPattern = { Weather: [{ 'anything-but': ['Raining'] }] };

    // Act
    const sunny = matches(pattern, field('Weather', 'Sunny'));
    const raining = matches(pattern, field('Weather', 'Raining'));
    const absent = matches(pattern, field('Temperature', 20));

    // Assess
    expect([sunny, raining, absent]).toEqual([true, false, false]);
  });
});

describe('numeric (CF, OPS, RUL)', () => {
  const pattern: EventPattern = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };

  it('matches the Ruler sample event: c-count in (0, 5], d-count below 10, x-limit equal to 3.018e2', () => {
    // Act
    const result = matches(pattern, rulerEvent);

    // Assess
    expect(result).toBe(true);
  });

  it('refuses each bound of the range: c-count 0 and 6, d-count 10, x-limit 301.9', () => {
    // Prepare
    const outside = [{ 'c-count': 0 }, { 'c-count': 6 }, { 'd-count': 10 }, { 'x-limit': 301.9 }];

    // Act
    const results = outside.map((detail) => matches(pattern, withDetail(detail)));

    // Assess
    expect(results).toEqual([false, false, false, false]);
  });

  it('accepts the inclusive upper bound: c-count 5 matches <= 5', () => {
    // Prepare
    const bounds = [{ 'c-count': 5 }, { 'c-count': 0.000001 }];

    // Act
    const results = bounds.map((detail) => matches(pattern, withDetail(detail)));

    // Assess
    expect(results).toEqual([true, true]);
  });

  it('matches only JSON numbers: the string "301.8" is not numerically equal', () => {
    // Act
    const result = matches(pattern, withDetail({ 'x-limit': '301.8' }));

    // Assess
    expect(result).toBe(false);
  });

  it('matches a Price of 100 with numeric equals, written 100 or 100.0', () => {
    // Prepare
    const equals: EventPattern = { Price: [{ numeric: ['=', 100] }] };

    // Act
    const results = ['{"Price":100}', '{"Price":100.0}', '{"Price":1e2}', '{"Price":100.5}'].map((json) =>
      matches(equals, JSON.parse(json)),
    );

    // Assess
    expect(results).toEqual([true, true, true, false]);
  });

  it('matches a Price more than 10 and at most 20', () => {
    // Prepare
    const range: EventPattern = { Price: [{ numeric: ['>', 10, '<=', 20] }] };

    // Act
    const results = [10, 10.5, 20, 20.01].map((p) => matches(range, field('Price', p)));

    // Assess
    expect(results).toEqual([false, true, true, false]);
  });
});

describe('IP address matching (CF, RUL)', () => {
  it('matches addresses 10.0.0.0 to 10.0.0.255 with cidr 10.0.0.0/24', () => {
    // Prepare
    const pattern: EventPattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
    const event = (ip: string) => ({ detail: { sourceIPAddress: ip } });

    // Act
    const results = ['10.0.0.0', '10.0.0.33', '10.0.0.255', '10.0.1.0', '11.0.0.1', 'not an ip'].map((ip) =>
      matches(pattern, event(ip)),
    );

    // Assess
    expect(results).toEqual([true, true, true, false, false, false]);
  });

  it('matches IPv6 addresses in a block too', () => {
    // Prepare (ours: RUL says cidr "also works with IPv6 addresses"; 2001:db8::/32 is the documentation block)
    const pattern: EventPattern = { ip: [{ cidr: '2001:db8::/32' }] };

    // Act
    const results = ['2001:db8::1', '2001:0db8:ffff::', '2001:db9::1', '10.0.0.1'].map((ip) =>
      matches(pattern, field('ip', ip)),
    );

    // Assess
    expect(results).toEqual([true, true, false, false]);
  });
});

describe('exists (CF, OPS, RUL)', () => {
  it('matches the EC2 event that has detail.state, and not the event without it', () => {
    // Prepare
    const pattern: EventPattern = { detail: { state: [{ exists: true }] } };
    const withState = {
      version: '0',
      id: '7bf73129-1428-4cd3-a780-95db273d1602',
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      account: '123456789012',
      time: '2015-11-11T21:29:54Z',
      region: 'us-east-1',
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
      detail: { 'instance-id': 'i-abcd1111', state: 'pending' },
    };
    const withoutState = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
      detail: { 'c-count': { c1: 100 } },
    };

    // Act
    const present = matches(pattern, withState);
    const absent = matches(pattern, withoutState);

    // Assess
    expect(present).toBe(true);
    expect(absent).toBe(false);
  });

  it('matches ProductName exists and ProductName does not exist on the right events', () => {
    // Prepare
    const exists: EventPattern = { ProductName: [{ exists: true }] };
    const missing: EventPattern = { ProductName: [{ exists: false }] };
    const named = field('ProductName', 'Widget');
    const unnamed = field('Price', 100);

    // Act
    const results = [
      matches(exists, named),
      matches(exists, unnamed),
      matches(missing, named),
      matches(missing, unnamed),
    ];

    // Assess
    expect(results).toEqual([true, false, false, true]);
  });

  it('treats exists as a leaf test: c-count holding an object does not exist (RUL)', () => {
    // Prepare
    const pattern: EventPattern = { detail: { 'c-count': [{ exists: false }] } };
    const noCount = {
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['initializing', 'running'] },
    };
    const objectCount = { ...noCount, detail: { ...noCount.detail, 'c-count': { c1: 100 } } };
    const leafCount = { ...noCount, detail: { ...noCount.detail, 'c-count': 1 } };

    // Act
    const results = [noCount, objectCount, leafCount].map((e) => matches(pattern, e));

    // Assess
    expect(results).toEqual([true, true, false]);
  });

  it('matches exists false when the parent object is absent, and exists true on a null value', () => {
    // Prepare (ours)
    const missing: EventPattern = { detail: { state: [{ exists: false }] } };
    const present: EventPattern = { detail: { state: [{ exists: true }] } };

    // Act
    const noDetail = matches(missing, { source: 'x' });
    const nullState = matches(present, { detail: { state: null } });

    // Assess
    expect(noDetail).toBe(true);
    expect(nullState).toBe(true);
  });
});

describe('wildcard (OPS, RUL, WC)', () => {
  it('matches any file with a .png extension located within the folder dir', () => {
    // Prepare
    const pattern: EventPattern = { FileName: [{ wildcard: 'dir/*.png' }] };

    // Act
    const results = ['dir/image.png', 'dir/a/b.png', 'dir/.png', 'dir/image.jpg', 'other/dir/image.png'].map(
      (f) => matches(pattern, field('FileName', f)),
    );

    // Assess
    expect(results).toEqual([true, true, true, false, false]);
  });

  it('matches Simple*Service against whole values only', () => {
    // Prepare
    const pattern: EventPattern = { source: [{ wildcard: 'Simple*Service' }] };

    // Act
    const results = ['SimpleQueueService', 'SimpleService', 'SimpleQueueServices', 'aSimpleService'].map(
      (s) => matches(pattern, field('source', s)),
    );

    // Assess
    expect(results).toEqual([true, true, false, false]);
  });

  it('matches *.png at the end and *Title* anywhere (WC)', () => {
    // Prepare
    const png: EventPattern = { key: [{ wildcard: '*.png' }] };
    const title: EventPattern = { key: [{ wildcard: '*Title*' }] };

    // Act
    const results = [
      matches(png, field('key', 'a/b/c.png')),
      matches(png, field('key', 'c.png.bak')),
      matches(title, field('key', 'The Title Page')),
      matches(title, field('key', 'Title')),
      matches(title, field('key', 'title')),
    ];

    // Assess
    expect(results).toEqual([true, false, true, true, false]);
  });

  it('reads \\* as a literal star and \\\\ as a literal backslash (RUL)', () => {
    // Prepare
    const star: EventPattern = { key: [{ wildcard: 'a\\*b' }] };
    const backslash: EventPattern = { key: [{ wildcard: 'a\\\\*' }] };

    // Act
    const results = [
      matches(star, field('key', 'a*b')),
      matches(star, field('key', 'aXb')),
      matches(backslash, field('key', 'a\\anything')),
      matches(backslash, field('key', 'abc')),
    ];

    // Assess
    expect(results).toEqual([true, false, true, false]);
  });
});

describe('$or (OPS, RUL, UN)', () => {
  it('matches Location New York or Day Monday ("Or" over several fields)', () => {
    // Prepare
    const pattern: EventPattern = { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] };

    // Act
    const results = [
      { Location: 'New York', Day: 'Friday' },
      { Location: 'Boston', Day: 'Monday' },
      { Location: 'Boston', Day: 'Friday' },
    ].map((e) => matches(pattern, e));

    // Assess
    expect(results).toEqual([true, true, false]);
  });

  it('needs both Location New York and Day Monday without $or ("And")', () => {
    // Prepare
    const pattern: EventPattern = { Location: ['New York'], Day: ['Monday'] };

    // Act
    const both = matches(pattern, { Location: 'New York', Day: 'Monday' });
    const one = matches(pattern, { Location: 'New York', Day: 'Friday' });

    // Assess
    expect(both).toBe(true);
    expect(one).toBe(false);
  });

  it('matches PaymentType Credit or Debit ("Or" over values)', () => {
    // Prepare
    const pattern: EventPattern = { PaymentType: ['Credit', 'Debit'] };

    // Act
    const results = ['Credit', 'Debit', 'Cash'].map((p) => matches(pattern, field('PaymentType', p)));

    // Assess
    expect(results).toEqual([true, true, false]);
  });

  it('combines $or with the other fields: source and (metricName or namespace)', () => {
    // Prepare
    const pattern: EventPattern = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    };

    // Act
    const results = [
      { source: 'aws.cloudwatch', metricName: 'ReadLatency' },
      { source: 'aws.cloudwatch', namespace: 'AWS/ES' },
      { source: 'aws.cloudwatch', metricName: 'DiskUsage', namespace: 'AWS/S3' },
      { source: 'aws.ec2', metricName: 'CPUUtilization' },
    ].map((e) => matches(pattern, e));

    // Assess
    expect(results).toEqual([true, true, false, false]);
  });

  it('matches parallel $or at two levels only when both are satisfied', () => {
    // Prepare
    const pattern: EventPattern = {
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
      detail: {
        $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }],
      },
    };

    // Act
    const both = matches(pattern, {
      namespace: 'AWS/EC2',
      detail: { 'detail-type': 'CloudWatch Alarm State Change' },
    });
    const outerOnly = matches(pattern, { namespace: 'AWS/EC2', detail: { source: 'aws.ec2' } });
    const innerOnly = matches(pattern, { namespace: 'AWS/S3', detail: { source: 'aws.cloudwatch' } });

    // Assess
    expect([both, outerOnly, innerOnly]).toEqual([true, false, false]);
  });

  it('matches an $or branch that is itself an And, and a nested $or inside it', () => {
    // Prepare
    const pattern: EventPattern = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        {
          metricType: ['MetricType'],
          namespace: ['AWS/EC2', 'AWS/ES'],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
        { scope: ['Service'] },
      ],
    };
    const base = { source: 'aws.cloudwatch' };

    // Act
    const results = [
      { ...base, scope: 'Service' },
      { ...base, metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1000 },
      { ...base, metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 999 },
      { ...base, metricType: 'MetricType', metricId: 1234 },
    ].map((e) => matches(pattern, e));

    // Assess
    expect(results).toEqual([true, true, false, false]);
  });

  it('matches an EC2 state of running or terminated with $or inside detail (UN)', () => {
    // Prepare
    const pattern: EventPattern = { detail: { $or: [{ state: ['running'] }, { state: ['terminated'] }] } };

    // Act
    const results = ['running', 'terminated', 'stopped'].map((state) =>
      matches(pattern, withDetail({ state })),
    );

    // Assess
    expect(results).toEqual([true, true, false]);
  });

  it('matches numeric conditions in an $or when any one holds (CF complex example with $or)', () => {
    // Prepare
    const pattern: EventPattern = {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    };

    // Act
    const onlyD = matches(pattern, { detail: { 'c-count': 50, 'd-count': 3, 'x-limit': 1 } });
    const none = matches(pattern, { detail: { 'c-count': 50, 'd-count': 30, 'x-limit': 1 } });

    // Assess
    expect(onlyD).toBe(true);
    expect(none).toBe(false);
  });
});

describe('combined operators (CF)', () => {
  const complex: EventPattern = {
    time: [{ prefix: '2017-10-02' }],
    detail: {
      state: [{ 'anything-but': 'initializing' }],
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ 'anything-but': [100, 200, 300] }],
    },
  };

  it('matches the complex example on the Ruler sample event', () => {
    // Act
    const result = matches(complex, rulerEvent);

    // Assess
    expect(result).toBe(true);
  });

  it('refuses the complex example when any single condition fails', () => {
    // Prepare
    const failing = [
      { ...rulerEvent, time: '2017-10-03T00:00:00Z' },
      withDetail({ state: 'initializing' }),
      withDetail({ 'c-count': 9 }),
      withDetail({ 'd-count': 11 }),
      withDetail({ 'x-limit': 200 }),
    ];

    // Act
    const results = failing.map((e) => matches(complex, e));

    // Assess
    expect(results).toEqual([false, false, false, false, false]);
  });

  it('keeps only the last of a key written twice, as the page notes', () => {
    // Prepare: JSON.parse, like EventBridge, keeps the last `location`
    const pattern = JSON.parse(
      '{"detail":{"location":[{"prefix":"us-"}],"location":[{"anything-but":"us-east"}]}}',
    ) as EventPattern;

    // Act
    const results = ['us-west', 'eu-west-1', 'us-east'].map((location) =>
      matches(pattern, { detail: { location } }),
    );

    // Assess
    expect(results).toEqual([true, true, false]);
  });
});

describe('validatePattern', () => {
  const malformed: ReadonlyArray<[string, unknown, RegExp]> = [
    ['a bare value instead of an array', { source: 'aws.ec2' }, /source: a field's value must be an array/],
    ['an empty matcher list', { source: [] }, /source: a field must list at least one matcher/],
    ['an empty pattern', {}, /must name at least one field/],
    [
      'an unknown operator',
      { detail: { state: [{ prefx: 'init' }] } },
      /detail\.state\[0\]: unknown operator "prefx"/,
    ],
    ['two operators in one filter', { a: [{ prefix: 'a', suffix: 'b' }] }, /exactly one operator/],
    ['a numeric operator that does not exist', { a: [{ numeric: ['=>', 1] }] }, /not a numeric operator/],
    ['a numeric operand that is a string', { a: [{ numeric: ['>', '1'] }] }, /must be a number/],
    ['a numeric range with two lower bounds', { a: [{ numeric: ['>', 0, '>=', 5] }] }, /one lower bound/],
    ['an empty numeric range', { a: [{ numeric: ['>', 5, '<', 5] }] }, /must be below/],
    [
      'an anything-but list mixing strings and numbers',
      { a: [{ 'anything-but': ['a', 1] }] },
      /only strings or only numbers/,
    ],
    ['an anything-but prefix list', { a: [{ 'anything-but': { prefix: ['a', 'b'] } }] }, /single string/],
    ['consecutive wildcard stars', { a: [{ wildcard: 'dir/**.png' }] }, /consecutive wildcard/],
    ['a backslash escaping a letter', { a: [{ wildcard: 'a\\b' }] }, /may only escape/],
    ['exists with a string', { a: [{ exists: 'true' }] }, /exists takes true or false/],
    ['an invalid cidr', { a: [{ cidr: '10.0.0.0/33' }] }, /CIDR block/],
    ['$or with one branch', { $or: [{ a: ['x'] }] }, /\$or: \$or must be an array of at least two/],
    ['$or with an empty branch', { $or: [{ a: ['x'] }, {}] }, /\$or\[1\]: a pattern object must name/],
    ['a nested array of matchers', { a: [['x']] }, /arrays do not nest/],
  ];

  it.each(malformed)('refuses %s with an error naming where', (_name, pattern, message) => {
    // Act
    const attempt = () => validatePattern(pattern);

    // Assess
    expect(attempt).toThrow(EventPatternError);
    expect(attempt).toThrow(message);
  });

  it('accepts every operator in its documented forms', () => {
    // Prepare
    const pattern = {
      a: ['x', 1, true, null, ''],
      b: [{ prefix: 'p' }, { prefix: { 'equals-ignore-case': 'P' } }, { suffix: 's' }],
      c: [{ suffix: { 'equals-ignore-case': 'S' } }, { 'equals-ignore-case': 'e' }, { wildcard: 'a*b\\*c' }],
      d: [
        { 'anything-but': 'x' },
        { 'anything-but': 1 },
        { 'anything-but': ['x', 'y'] },
        { 'anything-but': [1, 2] },
      ],
      e: [{ 'anything-but': { prefix: 'p' } }, { 'anything-but': { suffix: 's' } }],
      f: [
        { 'anything-but': { 'equals-ignore-case': ['a', 'b'] } },
        { 'anything-but': { wildcard: '*/lib/*' } },
      ],
      g: [{ numeric: ['=', 3.018e2] }, { numeric: ['<', 10] }, { numeric: ['>', 0, '<=', 5] }],
      h: [{ exists: false }, { cidr: '10.0.0.0/24' }, { cidr: '2001:db8::/32' }],
      $or: [{ i: ['x'] }, { j: { k: ['y'] } }],
    };

    // Act
    const attempt = () => validatePattern(pattern);

    // Assess
    expect(attempt).not.toThrow();
  });

  it('makes matches throw on a malformed pattern instead of quietly not matching', () => {
    // Prepare
    const pattern = { source: 'inventory' } as unknown as EventPattern;

    // Act
    const attempt = () => matches(pattern, { source: 'inventory' });

    // Assess
    expect(attempt).toThrow(EventPatternError);
  });
});

describe('properties', () => {
  const key = fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== '$or' && k !== '__proto__');
  const leaf = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.integer({ min: -1000, max: 1000 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
  );
  const { value: jsonValue } = fc.letrec<{ value: unknown; object: Record<string, unknown> }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(leaf, { maxLength: 3 }),
      tie('object'),
    ),
    object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  }));
  const event = fc.dictionary(key, jsonValue, { minKeys: 1, maxKeys: 5 });

  /** A pattern that asks for each of the event's own values (the first element of an array). */
  function patternFrom(value: Record<string, unknown>): EventPattern | null {
    const pattern: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (Array.isArray(v)) {
        if (v.length > 0) pattern[k] = [v[0]];
      } else if (typeof v === 'object' && v !== null) {
        const sub = patternFrom(v as Record<string, unknown>);
        if (sub) pattern[k] = sub;
      } else {
        pattern[k] = [v];
      }
    }
    return Object.keys(pattern).length > 0 ? (pattern as EventPattern) : null;
  }

  it('matches an event with any pattern built from its own values', () => {
    fc.assert(
      fc.property(event, (e) => {
        // Prepare
        const pattern = patternFrom(e);
        fc.pre(pattern !== null);

        // Act
        const result = matches(pattern as EventPattern, e);

        // Assess
        expect(result).toBe(true);
      }),
    );
  });

  it('never matches X with anything-but X, and always matches any other value of the same type', () => {
    const scalar = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    fc.assert(
      fc.property(scalar, scalar, (x, y) => {
        // Prepare
        const pattern: EventPattern = { f: [{ 'anything-but': x }] };

        // Act
        const onX = matches(pattern, { f: x });
        const onY = matches(pattern, { f: y });

        // Assess
        expect(onX).toBe(false);
        expect(onY).toBe(x !== y);
      }),
    );
  });

  it('agrees with plain comparisons on a numeric range', () => {
    const n = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });
    fc.assert(
      fc.property(n, n, n, (a, b, x) => {
        // Prepare
        fc.pre(a < b);
        const pattern: EventPattern = { f: [{ numeric: ['>', a, '<=', b] }] };

        // Act
        const result = matches(pattern, { f: x });

        // Assess
        expect(result).toBe(a < x && x <= b);
      }),
    );
  });

  it('matches a string with its own prefix and suffix, and with a wildcard made of both around a star', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (head, middle, tail) => {
        // Prepare
        const value = head + middle + tail;
        const escapeStars = (s: string) => s.replace(/[\\*]/g, (c) => `\\${c}`);

        // Act
        const results = [
          matches({ f: [{ prefix: head }] }, { f: value }),
          matches({ f: [{ suffix: tail }] }, { f: value }),
          matches({ f: [{ wildcard: `${escapeStars(head)}*${escapeStars(tail)}` }] }, { f: value }),
          matches({ f: [{ wildcard: escapeStars(value) }] }, { f: value }),
        ];

        // Assess
        expect(results).toEqual([true, true, true, true]);
      }),
    );
  });

  it('matches a string in any casing with equals-ignore-case', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.boolean(), { maxLength: 20 }), (s, flips) => {
        // Prepare
        const recased = [...s].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join('');

        // Act
        const result = matches({ f: [{ 'equals-ignore-case': s }] }, { f: recased });

        // Assess
        expect(result).toBe(true);
      }),
    );
  });

  it('matches $or exactly when one of its branches matches on its own', () => {
    const value = fc.constantFrom('a', 'b', 'c');
    fc.assert(
      fc.property(value, value, value, value, (a, b, f, g) => {
        // Prepare
        const left: EventPattern = { f: [a] };
        const right: EventPattern = { g: [b] };
        const e = { f, g };

        // Act
        const either = matches({ $or: [left, right] }, e);

        // Assess
        expect(either).toBe(matches(left, e) || matches(right, e));
      }),
    );
  });
});

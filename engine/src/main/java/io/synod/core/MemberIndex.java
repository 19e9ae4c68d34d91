package io.synod.core;

import java.util.Arrays;

/**
 * The members of the cluster by id and by dense index (ascending id), this node's own index, and its peers.
 */
final class MemberIndex
{
    private final int[] memberIds;
    private final int[] peerIds;
    private final int selfId;
    private final int selfIndex;

    MemberIndex(final int selfId, final int[] sortedMemberIds)
    {
        this.selfId = selfId;
        this.memberIds = sortedMemberIds.clone();
        this.selfIndex = Arrays.binarySearch(memberIds, selfId);
        this.peerIds = new int[memberIds.length - 1];
        int i = 0;
        for (final int id : memberIds)
        {
            if (id != selfId)
            {
                peerIds[i++] = id;
            }
        }
    }

    int count()
    {
        return memberIds.length;
    }

    int selfId()
    {
        return selfId;
    }

    int selfIndex()
    {
        return selfIndex;
    }

    int idAt(final int index)
    {
        return memberIds[index];
    }

    int[] peerIds()
    {
        return peerIds;
    }

    /**
     * @return the member's index, or -1 if nodeId is not a member.
     */
    int indexOf(final int nodeId)
    {
        for (int i = 0; i < memberIds.length; i++)
        {
            if (memberIds[i] == nodeId)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @return true if nodeId is a member other than this node.
     */
    boolean isPeer(final int nodeId)
    {
        return nodeId != selfId && indexOf(nodeId) >= 0;
    }
}
